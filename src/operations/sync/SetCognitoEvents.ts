import type { SetCognitoEventsRequest } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SetCognitoEventsRequest, Record<string, never>>('sync', 'SetCognitoEvents', async (input, { app, principal }) => {
  requirePoolAdmin(principal, input.IdentityPoolId);
  await app.sync.settings.setEvents(input.IdentityPoolId, input.Events);
  return {};
});
