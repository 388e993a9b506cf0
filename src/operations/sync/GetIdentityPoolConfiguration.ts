import type { GetIdentityPoolConfigurationRequest, GetIdentityPoolConfigurationResponse } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetIdentityPoolConfigurationRequest, GetIdentityPoolConfigurationResponse>(
  'sync',
  'GetIdentityPoolConfiguration',
  async (input, { app, principal }) => {
    requirePoolAdmin(principal, input.IdentityPoolId);
    const c = await app.sync.settings.configuration(input.IdentityPoolId);
    return { IdentityPoolId: input.IdentityPoolId, PushSync: c.PushSync, CognitoStreams: c.CognitoStreams };
  },
);
