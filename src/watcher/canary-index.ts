// Which Canaries target which Deployment, from the Canaries' specs.

export class CanaryIndex {
  /** `namespace/canary` → its target Deployment's name. */
  private readonly targetOf = new Map<string, string>();
  /** `namespace/deployment` → the names of the Canaries targeting it. */
  private readonly byTarget = new Map<string, Set<string>>();

  put(namespace: string, name: string, target: string): void {
    this.remove(namespace, name);
    this.targetOf.set(`${namespace}/${name}`, target);
    const key = `${namespace}/${target}`;
    let names = this.byTarget.get(key);
    if (names === undefined) {
      names = new Set();
      this.byTarget.set(key, names);
    }
    names.add(name);
  }

  /** Forgets the Canary; returns the name of the Deployment it targeted. */
  remove(namespace: string, name: string): string | undefined {
    const target = this.targetOf.get(`${namespace}/${name}`);
    if (target === undefined) return undefined;
    this.targetOf.delete(`${namespace}/${name}`);
    const key = `${namespace}/${target}`;
    const names = this.byTarget.get(key);
    names?.delete(name);
    if (names?.size === 0) this.byTarget.delete(key);
    return target;
  }

  /** Names of the Canaries in `namespace` whose target is `deployment`. */
  forTarget(namespace: string, deployment: string): string[] {
    return [...(this.byTarget.get(`${namespace}/${deployment}`) ?? [])];
  }

  /** Every targeted Deployment, as `namespace/deployment`. */
  targets(): ReadonlySet<string> {
    return new Set(this.byTarget.keys());
  }
}
