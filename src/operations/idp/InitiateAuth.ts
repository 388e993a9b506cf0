// InitiateAuth: starts a sign-in for an app client (unsigned). The flows are in src/auth/flows.ts.
import { flowContext } from '../../auth/context.js';
import { initiateAuth } from '../../auth/flows.js';
import { toReply } from '../../auth/types.js';
import type { InitiateAuthRequest, InitiateAuthResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<InitiateAuthRequest, InitiateAuthResponse>('idp', 'InitiateAuth', async (input, op) => {
  const ctx = await flowContext(op, input, false);
  return toReply(await initiateAuth(ctx, input.AuthFlow, input.AuthParameters));
});
