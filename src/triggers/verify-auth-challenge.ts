// VerifyAuthChallengeResponse_Authentication: judges the answer to a custom challenge.
//   request   userAttributes, privateChallengeParameters (from Create), challengeAnswer (ANSWER),
//             userNotFound, clientMetadata
//   response  answerCorrect (boolean; absent means false)
import type { FlowContext } from '../auth/types.js';
import type { User } from '../userpools/user.js';
import { customRequest } from './define-auth-challenge.js';
import { envelope, optBool, responseOf } from './event.js';
import type { TriggerRunner } from './invoke.js';

export async function runVerifyAuthChallenge(
  runner: TriggerRunner,
  ctx: FlowContext,
  user: User | undefined,
  userName: string,
  privateParameters: Record<string, unknown>,
  answer: string,
): Promise<boolean> {
  const event = envelope({
    pool: ctx.pool,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    userName,
    clientId: ctx.client.id,
    request: { ...customRequest(ctx, user), privateChallengeParameters: privateParameters, challengeAnswer: answer },
    response: { answerCorrect: null },
  });
  const r = responseOf(await runner.invoke(ctx.pool, 'VerifyAuthChallengeResponse', event));
  return optBool(r.answerCorrect) ?? false;
}
