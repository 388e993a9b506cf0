// CompleteWebAuthnRegistration (AccessToken): checks the new passkey's attestation against the
// pending registration and keeps it (src/auth/webauthn.ts).
import { completeRegistration } from '../../auth/webauthn.js';
import type { CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizePasskeyCaller } from './passkey-caller.js';

export default defineOperation<CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse>('idp', 'CompleteWebAuthnRegistration', async (input, { app }) => {
  const { pool, client, user } = await authorizePasskeyCaller(app, input.AccessToken);
  await completeRegistration(app, pool, client, user, input.Credential);
  return {};
});
