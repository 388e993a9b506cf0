// Cognito Sync, as the operations see it: one object per concern, built once per App.
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { SyncAws } from './aws.js';
import { Datasets } from './datasets.js';
import { SyncEvents } from './events.js';
import { PoolSettings } from './pool-settings.js';
import { SyncPublisher } from './publish.js';
import { PushDevices } from './push.js';
import { Records } from './records.js';
import type { InvokeFunction } from './sync-trigger.js';
import { Usage } from './usage.js';

export class Sync {
  readonly events: SyncEvents;
  readonly datasets: Datasets;
  readonly records: Records;
  readonly usage: Usage;
  readonly settings: PoolSettings;
  readonly push: PushDevices;
  /** Push sync (SNS) and Cognito Streams (Kinesis) deliveries. */
  readonly publisher: SyncPublisher;
  private readonly aws: SyncAws;

  constructor(deps: {
    store: Store;
    clock: Clock;
    sealer: Sealer;
    log: Logger;
    config: { databaseUrl?: string; databaseSchema?: string; region: string; snsEndpoint?: string; kinesisEndpoint?: string; stsEndpoint?: string };
    /** Runs the pool's SyncTrigger (app.triggers.runner.invokeRef); absent: never run. */
    invokeFunction?: InvokeFunction;
  }) {
    const { store, clock, sealer, log, config } = deps;
    this.events = new SyncEvents({ databaseUrl: config.databaseUrl, databaseSchema: config.databaseSchema, log });
    this.settings = new PoolSettings(store, clock);
    this.aws = new SyncAws({ region: config.region, snsEndpoint: config.snsEndpoint, kinesisEndpoint: config.kinesisEndpoint, stsEndpoint: config.stsEndpoint });
    this.publisher = new SyncPublisher({ store, clock, log, aws: this.aws, configuration: (poolId) => this.settings.storedConfiguration(poolId) });
    this.settings.publisher = (...args) => this.publisher.bulkPublish(...args);
    this.datasets = new Datasets(store, clock, sealer, this.events, this.publisher);
    this.usage = new Usage(store, sealer);
    const trigger = deps.invokeFunction && { invoke: deps.invokeFunction, region: config.region, settings: this.settings };
    this.records = new Records(store, clock, sealer, this.events, this.publisher, trigger);
    this.push = new PushDevices(store, clock, this.settings);
  }

  /** Waits for the deliveries under way, then lets the AWS clients go. */
  async close(): Promise<void> {
    await this.events.close();
    await this.publisher.close();
    this.aws.close();
  }
}
