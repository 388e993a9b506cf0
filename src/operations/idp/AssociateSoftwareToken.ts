// AssociateSoftwareToken: begins TOTP enrolment for the caller named by an AccessToken, or for
// the user of an MFA_SETUP sign-in Session (src/auth/mfa-setup.ts). Answers the new secret in
// base32 and, for a Session, the Session to give VerifySoftwareToken. This operation declares
// neither UserNotFoundException nor the user-state ones: a token whose user is gone or cannot
// sign in is NotAuthorizedException.
import { openSetupSession, resealSetupSession } from '../../auth/mfa-setup.js';
import { associateSoftwareToken } from '../../auth/software-token.js';
import { CognitoException, InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import type { AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

const UNDECLARED = new Set(['UserNotFoundException', 'PasswordResetRequiredException', 'UserNotConfirmedException']);

export default defineOperation<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse>('idp', 'AssociateSoftwareToken', async (input, op) => {
  const { app } = op;
  if (!input.AccessToken === !input.Session) throw new InvalidParameterException('Give either AccessToken or Session.');
  try {
    if (input.AccessToken) {
      const { pool, user } = await authorizeCaller(app, input.AccessToken);
      return { SecretCode: await associateSoftwareToken(app, pool, user) };
    }
    const setup = await openSetupSession(app, input.Session!, op.sourceIp);
    const SecretCode = await associateSoftwareToken(app, setup.pool, setup.user);
    return { SecretCode, Session: resealSetupSession(setup, false) };
  } catch (e) {
    if (e instanceof CognitoException && UNDECLARED.has(e.name)) throw new NotAuthorizedException(e.message);
    throw e;
  }
});
