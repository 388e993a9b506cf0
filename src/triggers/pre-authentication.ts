// PreAuthentication_Authentication: once per sign-in attempt, after the user is resolved and
// before the password or SRP proof is checked (for SRP: on InitiateAuth). Its response is ignored;
// a throw stops the sign-in with UserLambdaValidationException.
//   request   userAttributes ({} for an unknown user), userNotFound (true only when the client
//             hides user existence and the name designates nobody), validationData (the
//             InitiateAuth ClientMetadata)
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
