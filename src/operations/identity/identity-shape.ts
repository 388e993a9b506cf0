import type { IdentityDescription } from '../../models/identity-types.js';
import type { Identity } from '../../identity/identities.js';

export function identityShape(i: Identity): IdentityDescription {
  return {
    IdentityId: i.id,
    ...(i.logins.length ? { Logins: i.logins } : {}),
    CreationDate: i.createdAt / 1000,
    LastModifiedDate: i.updatedAt / 1000,
  };
}
