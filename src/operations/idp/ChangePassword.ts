// ChangePassword (AccessToken): the caller replaces their password. In order:
//   1. the access token (user-access.ts); a federated user (EXTERNAL_PROVIDER) is refused
//   2. sign-in lockout of the user: a wrong PreviousPassword counts like a wrong password at
//      sign-in, and while locked the password is not even checked (auth/lockout.ts)
//   3. PreviousPassword, required when the user has a password    NotAuthorizedException
//                                                                  'Incorrect username or password.'
//   4. the proposed password: policy, then history                 InvalidPasswordException /
//                                                                  PasswordHistoryPolicyViolationException
// The user's sessions stay signed in, as with Cognito.
import { checkNotLocked, lockSubject, recordFailure, recordSuccess } from '../../auth/lockout.js';
import type { FlowContext } from '../../auth/types.js';
import { INCORRECT_CREDENTIALS } from '../../auth/user-existence.js';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import type { ChangePasswordRequest, ChangePasswordResponse } from '../../models/idp-types.js';
import { checkNewPassword, replacePassword } from '../../userpools/password-history.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<ChangePasswordRequest, ChangePasswordResponse>('idp', 'ChangePassword', async (input, { app, sourceIp }) => {
  const { pool, client, user } = await authorizeCaller(app, input.AccessToken);
  // A federated user signs in at its identity provider: a local password would let it sign in
  // here without it (after the provider has shut it out, say).
  if (user.status === 'EXTERNAL_PROVIDER') throw new NotAuthorizedException('A user of an external identity provider cannot set a password.');
  if (user.password) {
    if (input.PreviousPassword === undefined) throw new InvalidParameterException('PreviousPassword is required: the user has a password.');
    const ctx: FlowContext = { app, pool, client, admin: false, sourceIp };
    const subject = lockSubject(ctx, user, user.username);
    const lock = await checkNotLocked(ctx, subject);
    if (!(await app.users.checkPassword(pool, user, input.PreviousPassword))) {
      await recordFailure(ctx, subject);
      throw new NotAuthorizedException(INCORRECT_CREDENTIALS);
    }
    await recordSuccess(ctx, subject, lock);
  }
  await checkNewPassword(app.users, pool, user, input.ProposedPassword);
  await replacePassword(app.users, pool, user, input.ProposedPassword);
  return {};
});
