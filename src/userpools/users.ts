// Users of a pool. (Filled in by the users work of the core issue.)
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Messages } from '../messaging/messages.js';
import type { Store } from '../store/store.js';
import type { UserPools } from './pools.js';

export class Users {
  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly sealer: Sealer,
    readonly pools: UserPools,
    readonly messages: Messages,
    readonly config: Config,
  ) {}
}
