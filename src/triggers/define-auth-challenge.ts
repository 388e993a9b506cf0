// DefineAuthChallenge_Authentication: decides, after each step of a CUSTOM_AUTH sign-in, what
// comes next (custom-auth.ts acts on the decision).
//   request   userAttributes ({} for an unknown user), session (the steps so far:
//             { challengeName, challengeResult, challengeMetadata? }), userNotFound, clientMetadata
//   response  challengeName, issueTokens, failAuthentication
// failAuthentication wins over issueTokens; neither and no challenge name is not a decision
// (InvalidLambdaResponseException).
import type { FlowContext } from '../auth/types.js';
import type { User } from '../userpools/user.js';
import { envelope, optBool, optString, responseOf, unrecognizable, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';

/** One step of a custom sign-in, as the three functions see it. */
export interface SessionEntry {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

export type Decision = { kind: 'fail' } | { kind: 'tokens' } | { kind: 'challenge'; name: string };

/** The part of the request the three custom-auth functions share. */
export function customRequest(ctx: FlowContext, user: User | undefined): Record<string, unknown> {
  return { userAttributes: user ? userAttributes(ctx.pool, user) : {}, ...(user ? {} : { userNotFound: true }), clientMetadata: ctx.clientMetadata };
}

export async function runDefineAuthChallenge(
  runner: TriggerRunner,
  ctx: FlowContext,
  user: User | undefined,
  userName: string,
  session: SessionEntry[],
): Promise<Decision> {
  const event = envelope({
    pool: ctx.pool,
    triggerSource: 'DefineAuthChallenge_Authentication',
    userName,
    clientId: ctx.client.id,
    request: { ...customRequest(ctx, user), session },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  const r = responseOf(await runner.invoke(ctx.pool, 'DefineAuthChallenge', event));
  if (optBool(r.failAuthentication)) return { kind: 'fail' };
  if (optBool(r.issueTokens)) return { kind: 'tokens' };
  const name = optString(r.challengeName);
  if (!name) throw unrecognizable();
  return { kind: 'challenge', name };
}
