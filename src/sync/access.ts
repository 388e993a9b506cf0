// Who may touch which sync data (identity-and-sync.md B.1). There is no IAM in Tessera, so the
// rule is fixed:
//   - the admin credentials may act on every identity and on the pool-level operations;
//   - an identity's temporary credentials (GetCredentialsForIdentity) may act only on that
//     identity's own data, in its own pool, and never on pool-level operations (usage of the
//     pool, configuration, Cognito Events, bulk publish).
// Anything else is NotAuthorizedException (HTTP 403 on this service).
import { NotAuthorizedException } from '../errors.js';
import type { Principal } from '../protocol/sigv4.js';

/** Allows the admin, or the identity `identityId` of pool `poolId` acting for itself. */
export function requireIdentityAccess(principal: Principal | undefined, poolId: string, identityId: string): void {
  if (principal?.kind === 'admin') return;
  if (principal?.kind === 'identity' && principal.identityId === identityId && principal.identityPoolId === poolId) return;
  throw new NotAuthorizedException(`Access to Identity '${identityId}' is forbidden.`);
}

/** Allows the admin only: the pool-level operations. */
export function requirePoolAdmin(principal: Principal | undefined, poolId?: string): void {
  if (principal?.kind === 'admin') return;
  throw new NotAuthorizedException(
    poolId ? `Access to Identity Pool '${poolId}' is forbidden for identity credentials.` : 'This operation is not allowed for identity credentials.',
  );
}

/** Whether the principal may see changes of this identity (the change stream). */
export function mayWatch(principal: Principal | undefined, poolId: string, identityId: string | undefined): boolean {
  if (principal?.kind === 'admin') return true;
  return principal?.kind === 'identity' && identityId !== undefined && principal.identityId === identityId && principal.identityPoolId === poolId;
}
