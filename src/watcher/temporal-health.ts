// Whether the watcher can reach Temporal, for its readiness probe: Temporal's gRPC health check,
// asked every few seconds and at once after a failed signal; a delivered signal proves it too.
// When Temporal comes back, `onBack` lets the notices waiting out a backoff go at once.
import { type Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import { type Probe } from '../http/server';
import { log } from '../log';

/** How often Temporal is asked, and how long an answer may take. */
export const HEALTH_CHECK_PERIOD_MS = 5000;
export const HEALTH_CHECK_TIMEOUT_MS = 3000;
const { SERVING } = grpc.health.v1.HealthCheckResponse.ServingStatus;

export class TemporalHealth {
  private state: Probe = { ok: false, detail: 'Temporal not yet reached' };
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private stopped = false;

  constructor(
    private readonly connection: Connection,
    private readonly onBack: () => void,
  ) {}

  start(): void {
    this.stopped = false;
    void this.check();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  probe(): Probe {
    return this.state;
  }

  /** A signal was delivered (Temporal answered), or failed (ask the health check now). */
  signalled(ok: boolean): void {
    if (ok) this.set({ ok: true, detail: 'Temporal reachable' });
    else void this.check();
  }

  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    clearTimeout(this.timer);
    try {
      const res = await this.connection.withDeadline(Date.now() + HEALTH_CHECK_TIMEOUT_MS, () => this.connection.healthService.check({}));
      this.set(
        res.status === SERVING
          ? { ok: true, detail: 'Temporal reachable' }
          : { ok: false, detail: `Temporal not serving (health status ${res.status ?? 'unknown'})` },
      );
    } catch (err) {
      this.set({ ok: false, detail: `Temporal unreachable: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      this.checking = false;
      if (!this.stopped) this.timer = setTimeout(() => void this.check(), HEALTH_CHECK_PERIOD_MS);
    }
  }

  private set(next: Probe): void {
    const was = this.state;
    this.state = next;
    if (next.ok === was.ok) return;
    if (next.ok) {
      log('info', 'Temporal reachable');
      this.onBack();
    } else {
      log('warn', next.detail);
    }
  }
}
