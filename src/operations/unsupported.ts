// The operations of the three AWS models that Tessera does not implement, each with the reason.
// This is the one list: the server answers them with UnsupportedOperationException naming the
// operation, the README's compatibility table is generated from it (`npm run gen:readme`), and
// test/drift/coverage.test.ts checks that every model operation is either implemented (a file in
// src/operations/<service>/) or listed here, never both.
//
// Implementing an operation: add src/operations/<service>/<Operation>.ts, delete its line below,
// run `npm run gen:readme`.
import type { ServiceId } from './operation.js';

// Reasons, shown to clients in the error message and in the README.
const LIMITS = 'not yet: Tessera has no provisioned quotas to read or change';
const REPLICAS = 'not yet: multi-region replicas (one Tessera deployment serves one region)';

/** `<service>/<Operation>` -> why Tessera does not implement it. */
export const unsupported: Readonly<Record<string, string>> = {
  'idp/CreateUserPoolReplica': REPLICAS,
  'idp/DeleteUserPoolReplica': REPLICAS,
  'idp/GetProvisionedLimit': LIMITS,
  'idp/ListUserPoolReplicas': REPLICAS,
  'idp/UpdateProvisionedLimit': LIMITS,
  'idp/UpdateUserPoolReplica': REPLICAS,
};

/** The reason an operation of the model is not implemented, if it is listed. */
export function unsupportedReason(service: ServiceId, operation: string): string | undefined {
  const key = `${service}/${operation}`;
  return Object.hasOwn(unsupported, key) ? unsupported[key] : undefined;
}
