// A Scenario whose worker and watcher each get their own extra environment. Both processes read
// PERCH_HTTP_ADDRESS, and on one host they need different ports; test/support's Perch gives every
// process the same environment, so this subclass adds the per-role part.
import { Perch } from '../support/perch';
import { Scenario } from '../support/scenario';

type Role = 'worker' | 'watcher';
export type RoleEnv = Partial<Record<Role, NodeJS.ProcessEnv>>;

class RolePerch extends Perch {
  private starting: Role | undefined;

  constructor(
    namespace: string,
    private readonly roleEnv: RoleEnv,
  ) {
    super(namespace);
  }

  override start(role: Role, name: string = role): void {
    this.starting = role;
    try {
      super.start(role, name);
    } finally {
      this.starting = undefined;
    }
  }

  override env(): NodeJS.ProcessEnv {
    return { ...super.env(), ...(this.starting ? this.roleEnv[this.starting] : {}) };
  }
}

export class RoleEnvScenario extends Scenario {
  override readonly perch: Perch;

  constructor(namespace: string, roleEnv: RoleEnv) {
    super(namespace);
    this.perch = new RolePerch(namespace, roleEnv);
  }
}
