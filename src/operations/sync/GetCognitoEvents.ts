import type { GetCognitoEventsRequest, GetCognitoEventsResponse } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetCognitoEventsRequest, GetCognitoEventsResponse>('sync', 'GetCognitoEvents', async (input, { app, principal }) => {
  requirePoolAdmin(principal, input.IdentityPoolId);
  return { Events: await app.sync.settings.events(input.IdentityPoolId) };
});
