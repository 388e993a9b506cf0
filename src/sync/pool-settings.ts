// Per identity pool sync settings: push sync and Cognito Streams configuration, Cognito Events
// (the sync trigger), and the state of the last bulk publish (identity-and-sync.md B.4, B.5).
//
// The documents keep the wire shapes (PushSync, CognitoStreams, Events), as user pool settings do.
// What Tessera does with them:
//   - the SyncTrigger (a Lambda ARN, or Tessera's addition: a webhook URL, https or http to
//     localhost, as user pool triggers take) runs on UpdateRecords (sync-trigger.ts);
//   - push sync and Cognito Streams deliver each change (publish.ts);
//   - a bulk publish puts every live dataset on the stream in the background; the state says
//     IN_PROGRESS until it ends. A bulk publish whose process stopped before it ended (no sign of
//     life for BULK_PUBLISH_STALE_MS) reads as FAILED, so that another can start.
import type { Clock } from '../clock.js';
import {
  AlreadyStreamedException,
  DuplicateRequestException,
  InvalidParameterException,
} from '../errors.js';
import type { CognitoStreams, PushSync } from '../models/sync-types.js';
import type { SyncPoolSettingsRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { isWebhookUrl } from '../triggers/target.js';
import { requireIdentityPool } from './scope.js';

export interface PoolConfiguration {
  PushSync?: PushSync;
  CognitoStreams?: CognitoStreams;
}

export type BulkPublishStatus = 'NOT_STARTED' | 'IN_PROGRESS' | 'FAILED' | 'SUCCEEDED';

export interface BulkPublishState {
  status: BulkPublishStatus;
  startedAt?: number;
  completedAt?: number;
  failure?: string;
  /** While IN_PROGRESS: when the publishing process last showed it was still at work. */
  aliveAt?: number;
}

/**
 * Starts the publishing itself (publish.ts): `heartbeat` while it works (false: this bulk publish
 * is no longer the pool's current one, stop), `done` once it ended.
 */
export type BulkPublisher = (poolId: string, streams: CognitoStreams, heartbeat: () => Promise<boolean>, done: (failure?: string) => Promise<void>) => void;

/** The event types Cognito Sync knows. */
const EVENT_TYPES = new Set(['SyncTrigger']);
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
/** A successful bulk publish may not be repeated within this period (Cognito's rule). */
const BULK_PUBLISH_COOLDOWN_MS = 24 * 60 * 60 * 1000;
/** An IN_PROGRESS bulk publish not heard of for this long was cut short (its process stopped). */
export const BULK_PUBLISH_STALE_MS = 5 * 60 * 1000;
const INTERRUPTED = 'The bulk publish was interrupted before it ended (the server stopped); start it again.';

export class PoolSettings {
  /** Set by Sync once its publisher exists. */
  publisher?: BulkPublisher;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async configuration(poolId: string): Promise<PoolConfiguration> {
    await requireIdentityPool(this.store, poolId);
    return parse((await this.store.sync.getPoolSettings(poolId))?.configuration, {});
  }

  /** The configuration as stored, without checking that the pool exists (deliveries: one read per change). */
  async storedConfiguration(poolId: string): Promise<PoolConfiguration> {
    return parse((await this.store.sync.getPoolSettings(poolId))?.configuration, {});
  }

  /** Replaces the members given (PushSync, CognitoStreams), keeps the others; returns the result. */
  async setConfiguration(poolId: string, patch: PoolConfiguration): Promise<PoolConfiguration> {
    await requireIdentityPool(this.store, poolId);
    const s = patch.CognitoStreams;
    if (s?.StreamingStatus === 'ENABLED' && (!s.StreamName || !s.RoleArn)) {
      throw new InvalidParameterException('CognitoStreams needs a StreamName and a RoleArn to be ENABLED.');
    }
    if (patch.PushSync?.ApplicationArns?.length && !patch.PushSync.RoleArn) {
      throw new InvalidParameterException('PushSync needs a RoleArn with its ApplicationArns.');
    }
    return this.change(poolId, (row) => {
      const config: PoolConfiguration = { ...parse(row.configuration, {}), ...definedOnly(patch) };
      row.configuration = JSON.stringify(config);
      return config;
    });
  }

  async events(poolId: string): Promise<Record<string, string>> {
    await requireIdentityPool(this.store, poolId);
    return parse((await this.store.sync.getPoolSettings(poolId))?.events, {});
  }

  /** Replaces the pool's events; an empty map clears them. */
  async setEvents(poolId: string, events: Record<string, string>): Promise<void> {
    await requireIdentityPool(this.store, poolId);
    for (const [type, arn] of Object.entries(events)) {
      if (!EVENT_TYPES.has(type)) throw new InvalidParameterException(`Unknown Cognito event type '${type}'.`);
      if (!LAMBDA_ARN.test(arn) && !isWebhookUrl(arn)) throw new InvalidParameterException(`'${arn}' is not a Lambda function ARN.`);
    }
    await this.change(poolId, (row) => {
      row.events = JSON.stringify(events);
    });
  }

  async bulkPublishState(poolId: string): Promise<BulkPublishState> {
    await requireIdentityPool(this.store, poolId);
    return current(parse((await this.store.sync.getPoolSettings(poolId))?.bulk_publish, { status: 'NOT_STARTED' }), this.clock.now());
  }

  /** Starts a bulk publish of the pool's data to its Cognito Stream. */
  async bulkPublish(poolId: string): Promise<void> {
    await requireIdentityPool(this.store, poolId);
    const now = this.clock.now();
    const streams = await this.change(poolId, (row) => {
      const last = current(parse<BulkPublishState>(row.bulk_publish, { status: 'NOT_STARTED' }), now);
      if (last.status === 'IN_PROGRESS') throw new DuplicateRequestException('A bulk publish is already in progress for this identity pool.');
      if (last.status === 'SUCCEEDED' && last.completedAt && now - last.completedAt < BULK_PUBLISH_COOLDOWN_MS) {
        throw new AlreadyStreamedException('A bulk publish succeeded for this identity pool within the last 24 hours.');
      }
      const streams = parse<PoolConfiguration>(row.configuration, {}).CognitoStreams;
      if (streams?.StreamingStatus !== 'ENABLED') {
        throw new InvalidParameterException('Cognito Streams is not enabled for this identity pool.');
      }
      const state: BulkPublishState = { status: 'IN_PROGRESS', startedAt: now, aliveAt: now };
      row.bulk_publish = JSON.stringify(state);
      return streams;
    });
    const publisher = this.publisher;
    if (!publisher) {
      await this.endBulkPublish(poolId, now, 'Tessera was started without a Cognito Streams publisher.');
      return;
    }
    publisher(
      poolId,
      streams,
      () => this.touchBulkPublish(poolId, now),
      (failure) => this.endBulkPublish(poolId, now, failure),
    );
  }

  /** Marks this pool's bulk publish begun at `startedAt` as still at work. */
  private touchBulkPublish(poolId: string, startedAt: number): Promise<boolean> {
    return this.change(poolId, (row) => {
      const s = parse<BulkPublishState>(row.bulk_publish, { status: 'NOT_STARTED' });
      if (s.status !== 'IN_PROGRESS' || s.startedAt !== startedAt) return false;
      row.bulk_publish = JSON.stringify({ ...s, aliveAt: this.clock.now() });
      return true;
    });
  }

  /** Records how the bulk publish begun at `startedAt` ended. */
  private async endBulkPublish(poolId: string, startedAt: number, failure?: string): Promise<void> {
    await this.change(poolId, (row) => {
      const s = parse<BulkPublishState>(row.bulk_publish, { status: 'NOT_STARTED' });
      // Only this bulk publish's own record, and only while it is under way.
      if (s.status !== 'IN_PROGRESS' || s.startedAt !== startedAt) return;
      const done: BulkPublishState = failure
        ? { status: 'FAILED', startedAt, completedAt: this.clock.now(), failure }
        : { status: 'SUCCEEDED', startedAt, completedAt: this.clock.now() };
      row.bulk_publish = JSON.stringify(done);
    });
  }

  /** Reads the pool's row under a lock, lets `edit` change it, writes it back; one transaction. */
  private change<T>(poolId: string, edit: (row: SyncPoolSettingsRow) => T): Promise<T> {
    return this.store.transaction(async (tx) => {
      const row = (await tx.sync.getPoolSettings(poolId, true)) ?? {
        pool_id: poolId,
        configuration: '{}',
        events: '{}',
        bulk_publish: JSON.stringify({ status: 'NOT_STARTED' }),
        updated_at: 0,
      };
      const out = edit(row);
      row.updated_at = this.clock.now();
      await tx.sync.putPoolSettings(row);
      return out;
    });
  }
}

/** The state as it stands: an IN_PROGRESS one not heard of for too long was interrupted. */
function current(s: BulkPublishState, now: number): BulkPublishState {
  if (s.status === 'IN_PROGRESS' && now - (s.aliveAt ?? s.startedAt ?? 0) > BULK_PUBLISH_STALE_MS) {
    return { status: 'FAILED', startedAt: s.startedAt, completedAt: s.aliveAt ?? s.startedAt, failure: INTERRUPTED };
  }
  return s;
}

function parse<T>(json: string | undefined, fallback: T): T {
  return json ? (JSON.parse(json) as T) : fallback;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
