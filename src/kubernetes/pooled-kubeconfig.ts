// A KubeConfig whose API calls share one connection pool per cluster and user. The client
// (@kubernetes/client-node 2.0.1) builds a new undici Agent for every call, so every read and
// write opened its own TLS connection: a handshake and a new SecureContext on both ends, each
// time. Watches already reuse an agent per cluster and user; calls now do the same.
import * as k8s from '@kubernetes/client-node';

type Pool = NonNullable<ReturnType<k8s.RequestContext['getDispatcher']>>;

export class PooledKubeConfig extends k8s.KubeConfig {
  private readonly pools = new Map<string, Pool>();

  override async applySecurityAuthentication(context: k8s.RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    // Keyed as the client keys its watch agents: the TLS identity follows the cluster and the user.
    const key = JSON.stringify([this.getCurrentCluster()?.name ?? '', this.getCurrentUser()?.name ?? '']);
    const pool = this.pools.get(key);
    if (pool === undefined) this.pools.set(key, fresh);
    else context.setDispatcher(pool);
  }
}
