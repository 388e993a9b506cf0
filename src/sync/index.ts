// Cognito Sync, as the operations see it: one object per concern, built once per App.
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { Datasets } from './datasets.js';
import { SyncEvents } from './events.js';
import { PoolSettings } from './pool-settings.js';
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

  constructor(deps: {
    store: Store;
    clock: Clock;
    sealer: Sealer;
    log: Logger;
    config: { databaseUrl?: string; databaseSchema?: string; region: string };
    /** Runs the pool's SyncTrigger (app.triggers.runner.invokeRef); absent: never run. */
    invokeFunction?: InvokeFunction;
  }) {
    const { store, clock, sealer, log, config } = deps;
    this.events = new SyncEvents({ databaseUrl: config.databaseUrl, databaseSchema: config.databaseSchema, log });
    this.datasets = new Datasets(store, clock, sealer, this.events);
    this.usage = new Usage(store, sealer);
    this.settings = new PoolSettings(store, clock);
    const trigger = deps.invokeFunction && { invoke: deps.invokeFunction, region: config.region, settings: this.settings };
    this.records = new Records(store, clock, sealer, this.events, trigger);
    this.push = new PushDevices(store, clock, this.settings);
  }
}
