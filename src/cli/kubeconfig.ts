// The namespace kubectl would use when a command names none, for `kubectl perch`: the current
// context's in the kubeconfig (KUBECONFIG, else ~/.kube/config), in a pod without one the
// ServiceAccount's, else "default". Read only when a command needs it.
import { KubeConfig } from '@kubernetes/client-node';
import { InvalidArgumentError } from 'commander';
import { parseNamespace } from './args';
import { CliError, ExitCode, messageOf } from './errors';

export function kubeconfigNamespace(): string {
  let namespace: string | undefined;
  try {
    const kc = new KubeConfig();
    kc.loadFromDefault();
    namespace = kc.getContextObject(kc.getCurrentContext())?.namespace?.trim();
  } catch (err) {
    throw new CliError(`cannot read the kubeconfig for its current namespace: ${messageOf(err)}`, ExitCode.failure);
  }
  try {
    return parseNamespace(namespace || 'default');
  } catch (err) {
    // It goes into Temporal visibility queries: only a real namespace name may.
    throw new CliError(`the kubeconfig's current namespace: ${err instanceof InvalidArgumentError ? err.message : messageOf(err)}`, ExitCode.failure);
  }
}
