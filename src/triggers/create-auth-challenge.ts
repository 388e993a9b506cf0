// CreateAuthChallenge_Authentication: makes the challenge DefineAuthChallenge asked for.
//   request   userAttributes, challengeName, session, userNotFound, clientMetadata
//   response  publicChallengeParameters (string map: what the client sees, plus USERNAME),
//             privateChallengeParameters (kept sealed in the Session for Verify),
//             challengeMetadata (string: recorded in the session history)
import type { FlowContext } from '../auth/types.js';
import type { User } from '../userpools/user.js';
import { customRequest, type SessionEntry } from './define-auth-challenge.js';
import { envelope, optObject, optString, optStringMap, responseOf } from './event.js';
import type { TriggerRunner } from './invoke.js';

export interface CreatedChallenge {
  publicParameters: Record<string, string>;
  privateParameters: Record<string, unknown>;
  metadata?: string;
}

export async function runCreateAuthChallenge(
  runner: TriggerRunner,
  ctx: FlowContext,
  user: User | undefined,
  userName: string,
  challengeName: string,
  session: SessionEntry[],
): Promise<CreatedChallenge> {
  const event = envelope({
    pool: ctx.pool,
    triggerSource: 'CreateAuthChallenge_Authentication',
    userName,
    clientId: ctx.client.id,
    request: { ...customRequest(ctx, user), challengeName, session },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  const r = responseOf(await runner.invoke(ctx.pool, 'CreateAuthChallenge', event));
  return {
    publicParameters: optStringMap(r.publicChallengeParameters) ?? {},
    privateParameters: optObject(r.privateChallengeParameters) ?? {},
    metadata: optString(r.challengeMetadata),
  };
}
