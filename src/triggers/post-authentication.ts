// PostAuthentication_Authentication: after every challenge of a sign-in succeeded, before the
// tokens are made (never on refresh). Its response is ignored; a throw means no tokens. It runs
// from the tokens' claims hook (triggers.ts), the one point every sign-in passes, API or hosted.
//   request   userAttributes, newDeviceUsed (false: Tessera does not tell yet), clientMetadata
//             (RespondToAuthChallenge's; InitiateAuth's is not passed on, as in Cognito)
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { envelope, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';

export interface PostAuthenticationInput {
  pool: UserPool;
  clientId: string;
  user: User;
  clientMetadata?: Record<string, string>;
}

export async function runPostAuthentication(runner: TriggerRunner, a: PostAuthenticationInput): Promise<void> {
  if (!runner.has(a.pool, 'PostAuthentication')) return;
  const event = envelope({
    pool: a.pool,
    triggerSource: 'PostAuthentication_Authentication',
    userName: a.user.username,
    clientId: a.clientId,
    request: { userAttributes: userAttributes(a.pool, a.user), newDeviceUsed: false, clientMetadata: a.clientMetadata },
    response: {},
  });
  await runner.invoke(a.pool, 'PostAuthentication', event);
}
