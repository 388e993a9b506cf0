import type { UpdateRecordsRequest, UpdateRecordsResponse } from '../../models/sync-types.js';
import { requireIdentityAccess } from '../../sync/access.js';
import { defineOperation } from '../operation.js';
import { actorOf, datasetKey, fromWirePatch, toWireRecord } from './wire.js';

export default defineOperation<UpdateRecordsRequest, UpdateRecordsResponse>('sync', 'UpdateRecords', async (input, { app, principal }) => {
  requireIdentityAccess(principal, input.IdentityPoolId, input.IdentityId);
  const written = await app.sync.records.update(datasetKey(input), {
    syncSessionToken: input.SyncSessionToken,
    patches: (input.RecordPatches ?? []).map(fromWirePatch),
    by: actorOf(principal, input.DeviceId),
    deviceId: input.DeviceId,
    // Cognito runs the SyncTrigger for identities' own calls, not for developer credentials.
    runTrigger: principal?.kind === 'identity',
  });
  return { Records: written.map(toWireRecord) };
});
