// PreAuthentication_Authentication: once per sign-in attempt, after the user is resolved and
// before the password or SRP proof is checked (for SRP: on InitiateAuth); for a returning
// federated user, once the provider's answer is checked and before the sign-in writes to the user.
// Its response is ignored; a throw stops the sign-in with UserLambdaValidationException (a
// federated one: invalid_request on the app's redirect URI).
//   request   userAttributes ({} for an unknown user), userNotFound (true only when the client
//             hides user existence and the name designates nobody), validationData (the
//             InitiateAuth ClientMetadata; none for a federated sign-in)
import type { FlowContext } from '../auth/types.js';
import type { User } from '../userpools/user.js';
import { envelope, userAttributes } from './event.js';
import type { TriggerRunner } from './invoke.js';

export async function runPreAuthentication(runner: TriggerRunner, ctx: FlowContext, user: User | undefined, typed: string): Promise<void> {
  if (!runner.has(ctx.pool, 'PreAuthentication')) return;
  const event = envelope({
    pool: ctx.pool,
    triggerSource: 'PreAuthentication_Authentication',
    userName: user?.username ?? typed,
    clientId: ctx.client.id,
    request: {
      userAttributes: user ? userAttributes(ctx.pool, user) : {},
      ...(user ? {} : { userNotFound: true }),
      validationData: ctx.validationData,
    },
    response: {},
  });
  await runner.invoke(ctx.pool, 'PreAuthentication', event);
}
