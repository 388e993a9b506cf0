// StartWebAuthnRegistration (AccessToken): creation options for a new passkey (src/auth/webauthn.ts).
import { startRegistration } from '../../auth/webauthn.js';
import type { StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizePasskeyCaller } from './passkey-caller.js';

export default defineOperation<StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse>('idp', 'StartWebAuthnRegistration', async (input, { app }) => {
  const { pool, client, user } = await authorizePasskeyCaller(app, input.AccessToken);
  return { CredentialCreationOptions: await startRegistration(app, pool, client, user) };
});
