// PostAuthentication_Authentication: after every challenge of a sign-in succeeded, before the
// tokens are made (never on refresh). Its response is ignored; a throw means no tokens. It runs
// from the tokens' claims hook (triggers.ts), the one point every sign-in passes, API or hosted.
//   request   userAttributes, newDeviceUsed (true when the pool remembers devices and the sign-in
//             gets a new one: no known DEVICE_KEY), clientMetadata (RespondToAuthChallenge's;
//             InitiateAuth's is not passed on, as in Cognito)
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { envelope, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';

export interface PostAuthenticationInput {
  pool: UserPool;
  clientId: string;
  user: User;
  clientMetadata?: Record<string, string>;
  newDeviceUsed?: boolean;
}

export async function runPostAuthentication(runner: TriggerRunner, a: PostAuthenticationInput): Promise<void> {
  if (!runner.has(a.pool, 'PostAuthentication')) return;
  const event = envelope({
    pool: a.pool,
    triggerSource: 'PostAuthentication_Authentication',
    userName: a.user.username,
    clientId: a.clientId,
    request: { userAttributes: userAttributes(a.pool, a.user), newDeviceUsed: a.newDeviceUsed === true, clientMetadata: a.clientMetadata },
    response: {},
  });
  await runner.invoke(a.pool, 'PostAuthentication', event);
}
