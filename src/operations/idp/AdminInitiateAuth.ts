// AdminInitiateAuth: starts a sign-in from a trusted back end (SigV4). The flows are in src/auth/flows.ts.
import { flowContext } from '../../auth/context.js';
import { initiateAuth } from '../../auth/flows.js';
import { toReply } from '../../auth/types.js';
import type { AdminInitiateAuthRequest, AdminInitiateAuthResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminInitiateAuthRequest, AdminInitiateAuthResponse>('idp', 'AdminInitiateAuth', async (input, op) => {
  const ctx = await flowContext(op, input, true);
  return toReply(await initiateAuth(ctx, input.AuthFlow, input.AuthParameters));
});
