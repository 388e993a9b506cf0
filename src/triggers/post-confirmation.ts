// PostConfirmation: PostConfirmation_ConfirmSignUp (ConfirmSignUp, AdminConfirmSignUp, the
// confirmation link, a SignUp that PreSignUp confirmed, a federated user's first sign-in) and
// PostConfirmation_ConfirmForgotPassword (ConfirmForgotPassword), invoked after the confirmation
// (or the federated user) is committed. Its response is ignored; a failure answers the operation
// with the trigger's error while the confirmation stays (as Cognito does: the user is confirmed
// all the same).
//   request   userAttributes (cognito:user_status CONFIRMED; EXTERNAL_PROVIDER for a federated
//             user), clientMetadata
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { envelope, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';

export interface PostConfirmationInput {
  pool: UserPool;
  source: 'ConfirmSignUp' | 'ConfirmForgotPassword';
  user: User;
  clientId?: string;
  clientMetadata?: Record<string, string>;
}

export async function runPostConfirmation(runner: TriggerRunner, a: PostConfirmationInput): Promise<void> {
  if (!runner.has(a.pool, 'PostConfirmation')) return;
  const event = envelope({
    pool: a.pool,
    triggerSource: `PostConfirmation_${a.source}`,
    userName: a.user.username,
    clientId: a.clientId,
    request: { userAttributes: userAttributes(a.pool, a.user), clientMetadata: a.clientMetadata },
    response: {},
  });
  await runner.invoke(a.pool, 'PostConfirmation', event);
}
