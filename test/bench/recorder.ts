// What each controller reports: the text of every Event it records, timed to the millisecond by
// its own JSON log line (both log each Event's text with the Canary as `name.namespace` as they
// record it), and every Canary phase change, timed on arrival through a watch. Beside them, what
// the workload does on its own: when each Deployment starts and ends a rollout, timed the same way.
//
// Why the log and not the Events: Flagger records Events through client-go's correlator, which
// drops them past a burst of 25 per Canary (then one per 5 minutes) and rewrites the message as
// "(combined from similar events): ..." after 10 of the same reason, so Events cannot time a whole
// rollout of Flagger's; and Flagger's Event timestamps carry whole seconds.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { evaluateReadiness } from '../../src/kubernetes/readiness';

export interface Occurrence {
  /** Arrival, ms since the epoch. */
  at: number;
  /** The Canary (involvedObject.name) or, for phases, the Canary's name. */
  object: string;
  /** The Event's message, or the phase reached. */
  text: string;
}

/** Reads what was appended to a file since the last call, in whole lines. */
class Tail {
  private offset = 0;
  private partial = '';

  constructor(private readonly file: string) {}

  lines(): string[] {
    if (!existsSync(this.file)) return [];
    const fd = openSync(this.file, 'r');
    try {
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(1 << 20);
      for (let n; (n = readSync(fd, buf, 0, buf.length, this.offset)) > 0;) {
        chunks.push(Buffer.from(buf.subarray(0, n)));
        this.offset += n;
      }
      const text = this.partial + Buffer.concat(chunks).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      return lines;
    } finally {
      closeSync(fd);
    }
  }
}

/** A Deployment's rollout, judged as Perch and Flagger judge readiness: every replica updated and available. */
export type RolloutState = 'rolling' | 'rolled out';

export function rolloutState(d: k8s.V1Deployment): RolloutState {
  return evaluateReadiness(d, 100).ready ? 'rolled out' : 'rolling';
}

/** Records `text` for `object` on arrival when it differs from the last one recorded. */
function onChange(into: Occurrence[], last: Map<string, string>, object: string, text: string): void {
  if (last.get(object) === text) return;
  last.set(object, text);
  into.push({ at: Date.now(), object, text });
}

export class Recorder {
  private readonly events: Occurrence[] = [];
  readonly phases: Occurrence[] = [];
  private readonly lastPhase = new Map<string, string>();
  /** Each Deployment's changes of RolloutState, on arrival. */
  private readonly rollouts: Occurrence[] = [];
  private readonly lastRollout = new Map<string, string>();
  private readonly informers: k8s.Informer<k8s.KubernetesObject>[] = [];
  private readonly tails: Tail[];

  /** `logs`: the controller's JSON log files (Perch's worker; Flagger). */
  constructor(
    private readonly kc: k8s.KubeConfig,
    readonly namespace: string,
    logs: readonly string[],
  ) {
    this.tails = logs.map((f) => new Tail(f));
  }

  /** Takes in the log lines written since the last look. */
  private pull(): void {
    const suffix = `.${this.namespace}`;
    for (const line of this.tails.flatMap((t) => t.lines())) {
      if (!line.startsWith('{')) continue;
      try {
        const rec = JSON.parse(line) as { msg?: unknown; canary?: unknown; ts?: unknown };
        if (typeof rec.canary !== 'string' || !rec.canary.endsWith(suffix) || typeof rec.msg !== 'string' || typeof rec.ts !== 'string') continue;
        this.events.push({ at: Date.parse(rec.ts), object: rec.canary.slice(0, -suffix.length), text: rec.msg });
      } catch {
        // Not a JSON record (a Go panic, a Node warning): not an Event.
      }
    }
  }

  async start(): Promise<void> {
    const custom = this.kc.makeApiClient(k8s.CustomObjectsApi);
    const ns = this.namespace;
    const group = { group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace: ns };
    const canaries = k8s.makeInformer(
      this.kc,
      `/apis/${FLAGGER_GROUP}/${FLAGGER_VERSION}/namespaces/${ns}/${CANARY_PLURAL}`,
      () => custom.listNamespacedCustomObject(group) as Promise<k8s.KubernetesListObject<Canary & k8s.KubernetesObject>>,
    );
    const onCanary = (c: Canary & k8s.KubernetesObject) => onChange(this.phases, this.lastPhase, c.metadata?.name ?? '', c.status?.phase ?? '');
    canaries.on(k8s.ADD, onCanary);
    canaries.on(k8s.UPDATE, onCanary);
    await this.run(canaries);

    const apps = this.kc.makeApiClient(k8s.AppsV1Api);
    const deployments = k8s.makeInformer(this.kc, `/apis/apps/v1/namespaces/${ns}/deployments`, () =>
      apps.listNamespacedDeployment({ namespace: ns }),
    );
    const onDeployment = (d: k8s.V1Deployment) => onChange(this.rollouts, this.lastRollout, d.metadata?.name ?? '', rolloutState(d));
    deployments.on(k8s.ADD, onDeployment);
    deployments.on(k8s.UPDATE, onDeployment);
    await this.run(deployments);
  }

  private async run(informer: k8s.Informer<k8s.KubernetesObject>): Promise<void> {
    // A dropped watch is listed and watched again; what was missed arrives as ADD or UPDATE.
    informer.on(k8s.ERROR, () => setTimeout(() => void informer.start().catch(() => undefined), 1000));
    await informer.start();
    this.informers.push(informer);
  }

  async stop(): Promise<void> {
    for (const informer of this.informers) await informer.stop();
  }

  /** The first occurrence after `since` on `object` whose text starts with `prefix`. */
  first(object: string, prefix: string, since = 0): Occurrence | undefined {
    this.pull();
    return this.events.find((e) => e.object === object && e.at >= since && e.text.startsWith(prefix));
  }

  /** Every occurrence on `object` in [since, until] whose text starts with `prefix`, in order. */
  all(object: string, prefix: string, since = 0, until = Infinity): Occurrence[] {
    this.pull();
    return this.events.filter((e) => e.object === object && e.at >= since && e.at <= until && e.text.startsWith(prefix));
  }

  /** When the Deployment's first rollout that began after `since` started and ended (ms). */
  rollout(deployment: string, since: number): { start: number; end: number } | undefined {
    const mine = this.rollouts.filter((r) => r.object === deployment && r.at >= since);
    const start = mine.find((r) => r.text === 'rolling')?.at;
    const end = start === undefined ? undefined : mine.find((r) => r.text === 'rolled out' && r.at >= start)?.at;
    return start === undefined || end === undefined ? undefined : { start, end };
  }

  /** When `object` first reached `phase` after `since`. */
  reached(object: string, phase: string, since = 0): number | undefined {
    return this.phases.find((p) => p.object === object && p.text === phase && p.at >= since)?.at;
  }
}
