// The caller of the passkey operations. They declare PasswordResetRequiredException but neither
// UserNotFoundException nor UserNotConfirmedException: a token whose user is gone or unconfirmed
// is NotAuthorizedException there.
import type { App } from '../../app.js';
import { NotAuthorizedException, UserNotConfirmedException, UserNotFoundException } from '../../errors.js';
import { authorizeCaller, type Caller } from './user-access.js';

export async function authorizePasskeyCaller(app: App, accessToken: string): Promise<Caller> {
  try {
    return await authorizeCaller(app, accessToken);
  } catch (e) {
    if (e instanceof UserNotFoundException || e instanceof UserNotConfirmedException) throw new NotAuthorizedException(e.message);
    throw e;
  }
}
