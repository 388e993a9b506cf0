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
