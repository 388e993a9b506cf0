// RespondToAuthChallenge: answers the challenge of a sign-in (unsigned). See src/auth/flows.ts.
import { flowContext } from '../../auth/context.js';
import { respondToAuthChallenge } from '../../auth/flows.js';
import { toReply } from '../../auth/types.js';
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>('idp', 'RespondToAuthChallenge', async (input, op) => {
  const ctx = await flowContext(op, input, false);
  return toReply(await respondToAuthChallenge(ctx, input.ChallengeName, input.ChallengeResponses, input.Session));
});
