// Which Canaries care about which objects: a Canary about itself and its target Deployment, and
// through the target's pod template about the ConfigMaps and Secrets it uses.
import type * as k8s from '@kubernetes/client-node';
import { type Canary } from '../api/canary';

export type Kind = 'Canary' | 'Deployment' | 'ConfigMap' | 'Secret';

export class CanaryIndex {
  private readonly byTarget = new Map<string, Set<string>>();
  private readonly canaries = new Map<string, Canary>();

  put(canary: Canary): void {
    this.remove(canary.metadata.namespace, canary.metadata.name);
    const key = `${canary.metadata.namespace}/${canary.metadata.name}`;
    this.canaries.set(key, canary);
    const target = `${canary.metadata.namespace}/${canary.spec?.targetRef?.name ?? ''}`;
    if (!this.byTarget.has(target)) this.byTarget.set(target, new Set());
    this.byTarget.get(target)?.add(canary.metadata.name);
  }

  remove(namespace: string, name: string): void {
    const old = this.canaries.get(`${namespace}/${name}`);
    if (!old) return;
    this.canaries.delete(`${namespace}/${name}`);
    this.byTarget.get(`${namespace}/${old.spec?.targetRef?.name ?? ''}`)?.delete(name);
  }

  /** Names of the Canaries in `namespace` whose target is `deployment`. */
  forTarget(namespace: string, deployment: string): string[] {
    return [...(this.byTarget.get(`${namespace}/${deployment}`) ?? [])];
  }

  /** Names of the Canaries whose target's template (from `deployments`) uses the config. */
  forConfig(namespace: string, kind: 'ConfigMap' | 'Secret', name: string, uses: (deployment: string) => { configMaps: string[]; secrets: string[] } | undefined): string[] {
    const out: string[] = [];
    for (const canary of this.canaries.values()) {
      if (canary.metadata.namespace !== namespace) continue;
      const refs = uses(canary.spec?.targetRef?.name ?? '');
      if (refs && (kind === 'ConfigMap' ? refs.configMaps : refs.secrets).includes(name)) out.push(canary.metadata.name);
    }
    return out;
  }
}

export type Template = k8s.V1PodTemplateSpec;
