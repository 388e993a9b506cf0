// AdminRespondToAuthChallenge: answers a sign-in challenge from a trusted back end (SigV4). See src/auth/flows.ts.
import { flowContext } from '../../auth/context.js';
import { respondToAuthChallenge } from '../../auth/flows.js';
import { toReply } from '../../auth/types.js';
import type { AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse>(
  'idp',
  'AdminRespondToAuthChallenge',
  async (input, op) => {
    const ctx = await flowContext(op, input, true);
    return toReply(await respondToAuthChallenge(ctx, input.ChallengeName, input.ChallengeResponses, input.Session));
  },
);
