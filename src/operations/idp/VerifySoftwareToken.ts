// VerifySoftwareToken: completes TOTP enrolment with a code from the secret AssociateSoftwareToken
// gave (src/auth/software-token.ts), for an AccessToken's user or an MFA_SETUP sign-in Session;
// with a Session it answers the Session that RespondToAuthChallenge MFA_SETUP then takes.
import { openSetupSession, resealSetupSession } from '../../auth/mfa-setup.js';
import { verifySoftwareToken } from '../../auth/software-token.js';
import { InvalidParameterException } from '../../errors.js';
import type { VerifySoftwareTokenRequest, VerifySoftwareTokenResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizeCaller } from './user-access.js';

export default defineOperation<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse>('idp', 'VerifySoftwareToken', async (input, op) => {
  const { app } = op;
  if (!input.AccessToken === !input.Session) throw new InvalidParameterException('Give either AccessToken or Session.');
  if (input.AccessToken) {
    const { pool, user } = await authorizeCaller(app, input.AccessToken);
    await verifySoftwareToken(app, pool, user, input.UserCode, input.FriendlyDeviceName);
    return { Status: 'SUCCESS' };
  }
  const setup = await openSetupSession(app, input.Session!, op.sourceIp);
  await verifySoftwareToken(app, setup.pool, setup.user, input.UserCode, input.FriendlyDeviceName);
  return { Status: 'SUCCESS', Session: resealSetupSession(setup, true) };
});
