// Changes to one kind of object as they happen, remembered by no one. A Helm release Secret no
// Canary uses costs the watcher nothing but the parsing of its metadata when it changes: no list of
// the cluster's objects is read and nothing is cached, so memory follows the Canaries, not the
// cluster. It starts at the collection's current resourceVersion (a list of one item) and watches
// from there; when the API server no longer holds that version (410 Gone) the feed starts again from
// the current one and says so (`lost`), since changes in between may be missed.
import type * as k8s from '@kubernetes/client-node';
import { log } from '../log';
import { type ListPage, metadataListOptions } from './metadata-informer';

export interface Change {
  namespace: string;
  name: string;
  /** The object's resourceVersion after the change (or its deletion's). */
  resourceVersion: string;
}

export interface ChangeHandlers {
  change(change: Change): void;
  /** The feed started again from the current version: any change before it may have gone untold. */
  lost(): void;
}

/** The part of the client's `Watch` the feed uses. */
export type WatchCall = Pick<k8s.Watch, 'watch'>;

/** A failed watch or list is tried again after this long. */
const RETRY_MS = 1000;

export class ChangeFeed {
  /** The version the next watch starts at; '' when it must be read afresh. */
  private resourceVersion = '';
  private request: AbortController | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Past the first start: a version read afresh from now on means changes may have gone untold. */
  private started = false;

  constructor(
    private readonly path: string,
    private readonly watchCall: WatchCall,
    private readonly listPage: ListPage,
    private readonly handlers: ChangeHandlers,
  ) {}

  /** Resolves once the first watch is open, or has failed and is being tried again. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.open();
    this.started = true;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.request?.abort();
    this.request = undefined;
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.resourceVersion === '') {
        this.resourceVersion = await this.currentVersion();
        if (this.started) this.handlers.lost();
      }
      const request = await this.watchCall.watch(
        this.path,
        { resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
        (phase, obj) => this.event(phase, obj),
        (err) => this.closed(err),
      );
      if (this.stopped) request.abort();
      else this.request = request;
    } catch (err) {
      this.later(err);
    }
  }

  private event(phase: string, obj: unknown): void {
    const o = obj as { code?: number; metadata?: k8s.V1ObjectMeta };
    if (phase === 'ERROR') {
      if (o.code === 410) this.resourceVersion = '';
      return; // the watch ends after an ERROR; closed() opens the next
    }
    const m = o.metadata ?? {};
    this.resourceVersion = m.resourceVersion ?? this.resourceVersion;
    if (phase === 'BOOKMARK') return;
    this.handlers.change({ namespace: m.namespace ?? '', name: m.name ?? '', resourceVersion: m.resourceVersion ?? '' });
  }

  /** The watch ended: the server's timeout or the client's inactivity one go on at once. */
  private closed(err: unknown): void {
    this.request = undefined;
    if (this.stopped) return;
    const e = err as { statusCode?: number; code?: number; name?: string } | null | undefined;
    if (e?.statusCode === 410 || e?.code === 410) this.resourceVersion = '';
    if (e === null || e === undefined || e.name === 'TimeoutError' || this.resourceVersion === '') void this.open();
    else this.later(err);
  }

  private later(err: unknown): void {
    if (this.stopped) return;
    log('warn', `watch ${this.path} failed; again in ${RETRY_MS / 1000} s`, { error: String(err) });
    this.retry = setTimeout(() => void this.open(), RETRY_MS);
  }

  /** The collection's current resourceVersion, from a list of at most one item. */
  private async currentVersion(): Promise<string> {
    const page = await this.listPage({ limit: 1 }, metadataListOptions());
    const version = page.metadata?.resourceVersion;
    if (!version) throw new Error(`the list of ${this.path} carries no resourceVersion`);
    return version;
  }
}
