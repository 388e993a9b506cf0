// Change notifications for the server-sent-events stream (`GET /sync/events`), beyond Cognito:
// when UpdateRecords or DeleteDataset commits, every watcher of that identity's datasets hears
// `{ identityPoolId, identityId, datasetName, syncCount }` at once.
//
// How a change travels:
//   - SQLite (one process): an in-process emitter, fired after the transaction commits.
//   - PostgreSQL (any number of processes): `pg_notify` inside the writing transaction, so it is
//     sent on commit and never for a rolled-back write; each process that has watchers keeps one
//     connection LISTENing and hands what arrives to its local watchers (its own changes included).
//     The channel carries the schema name, so servers on other schemas of one database don't mix.
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { listenToChannel, type ChannelListener } from '../store/sync.js';

export interface SyncChange {
  identityPoolId: string;
  identityId: string;
  datasetName: string;
  syncCount: number;
}

export interface WatchFilter {
  identityPoolId: string;
  /** Absent: every identity of the pool (admin only). */
  identityId?: string;
  /** Absent: every dataset. */
  datasetName?: string;
}

interface Watcher {
  filter: WatchFilter;
  onChange: (c: SyncChange) => void;
  /** The process lost the feed (PostgreSQL connection); the watcher should end and reconnect. */
  onLost: () => void;
}

export class SyncEvents {
  private readonly watchers = new Set<Watcher>();
  private listener?: Promise<ChannelListener>;
  private readonly channel: string;

  constructor(
    private readonly opts: { databaseUrl?: string; databaseSchema?: string; log: Logger },
  ) {
    this.channel = `tessera_sync_${opts.databaseSchema ?? 'public'}`;
  }

  private get crossProcess(): boolean {
    return !!this.opts.databaseUrl;
  }

  /** Call inside the writing transaction. */
  async inTransaction(tx: Store, change: SyncChange): Promise<void> {
    if (this.crossProcess) await tx.sync.notify(this.channel, JSON.stringify(change));
  }

  /** Call once the writing transaction has committed. */
  afterCommit(change: SyncChange): void {
    if (!this.crossProcess) this.deliver(change);
  }

  /**
   * Starts watching; resolves once changes are sure to be heard (on PostgreSQL: LISTEN is in
   * place). Returns the function that stops watching.
   */
  async watch(filter: WatchFilter, onChange: (c: SyncChange) => void, onLost: () => void): Promise<() => void> {
    const w: Watcher = { filter, onChange, onLost };
    this.watchers.add(w);
    try {
      if (this.crossProcess) await (this.listener ??= this.listen());
    } catch (e) {
      this.watchers.delete(w);
      throw e;
    }
    return () => {
      this.watchers.delete(w);
      if (!this.watchers.size) this.stopListening();
    };
  }

  private deliver(change: SyncChange): void {
    for (const w of this.watchers) {
      const f = w.filter;
      if (f.identityPoolId !== change.identityPoolId) continue;
      if (f.identityId !== undefined && f.identityId !== change.identityId) continue;
      if (f.datasetName !== undefined && f.datasetName !== change.datasetName) continue;
      w.onChange(change);
    }
  }

  private listen(): Promise<ChannelListener> {
    const p = listenToChannel(
      { databaseUrl: this.opts.databaseUrl!, channel: this.channel },
      (payload) => {
        try {
          this.deliver(JSON.parse(payload) as SyncChange);
        } catch (e) {
          this.opts.log.warn({ err: e }, 'malformed sync notification');
        }
      },
      (e) => {
        this.opts.log.error({ err: e }, 'sync change feed lost');
        this.listener = undefined;
        void p.then((l) => l.close(), () => undefined);
        for (const w of [...this.watchers]) w.onLost();
        this.watchers.clear();
      },
    );
    p.catch(() => {
      if (this.listener === p) this.listener = undefined;
    });
    return p;
  }

  private stopListening(): void {
    const l = this.listener;
    this.listener = undefined;
    void l?.then((x) => x.close(), () => undefined);
  }

  /** Ends every watch and the feed (server shutdown). */
  async close(): Promise<void> {
    for (const w of [...this.watchers]) w.onLost();
    this.watchers.clear();
    const l = this.listener;
    this.listener = undefined;
    await l?.then((x) => x.close(), () => undefined);
  }
}
