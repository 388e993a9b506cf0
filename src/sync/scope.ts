// The pool and identity a sync request names must exist, and the identity must belong to the pool
// (identity pools and identities are the identity service's; sync only reads them).
import { ResourceNotFoundException } from '../errors.js';
import type { Store } from '../store/store.js';

export async function requireIdentityPool(store: Store, poolId: string): Promise<void> {
  if (!(await store.sync.identityPoolExists(poolId))) {
    throw new ResourceNotFoundException(`IdentityPool '${poolId}' not found.`);
  }
}

export async function requireIdentity(store: Store, poolId: string, identityId: string): Promise<void> {
  await requireIdentityPool(store, poolId);
  if ((await store.sync.identityPoolOf(identityId)) !== poolId) {
    throw new ResourceNotFoundException(`Identity '${identityId}' not found.`);
  }
}

/**
 * Inside a sync write's transaction: takes the identity's sync lock (a merge moving its datasets
 * holds it too), then checks that the identity is still there and was not merged meanwhile. A
 * write that waited for a merge is refused rather than left on the merged identity.
 */
export async function lockLiveIdentity(tx: Store, poolId: string, identityId: string): Promise<void> {
  await tx.sync.lockIdentity(identityId);
  const state = await tx.sync.identityState(identityId);
  if (!state || state.poolId !== poolId) throw new ResourceNotFoundException(`Identity '${identityId}' not found.`);
  if (state.mergedInto) {
    throw new ResourceNotFoundException(`Identity '${identityId}' was merged into '${state.mergedInto}'; its datasets are there now.`);
  }
}
