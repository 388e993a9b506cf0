import type { SetIdentityPoolConfigurationRequest, SetIdentityPoolConfigurationResponse } from '../../models/sync-types.js';
import { requirePoolAdmin } from '../../sync/access.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SetIdentityPoolConfigurationRequest, SetIdentityPoolConfigurationResponse>(
  'sync',
  'SetIdentityPoolConfiguration',
  async (input, { app, principal }) => {
    requirePoolAdmin(principal, input.IdentityPoolId);
    const c = await app.sync.settings.setConfiguration(input.IdentityPoolId, {
      PushSync: input.PushSync,
      CognitoStreams: input.CognitoStreams,
    });
    return { IdentityPoolId: input.IdentityPoolId, PushSync: c.PushSync, CognitoStreams: c.CognitoStreams };
  },
);
