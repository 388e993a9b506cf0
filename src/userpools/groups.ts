// Groups of a pool. (Filled in by the groups work of the core issue.)
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import type { UserPools } from './pools.js';

export class Groups {
  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly pools: UserPools,
  ) {}
}
