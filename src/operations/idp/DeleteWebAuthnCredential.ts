// DeleteWebAuthnCredential (AccessToken): deletes one of the caller's passkeys.
import { deletePasskey } from '../../auth/webauthn.js';
import type { DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizePasskeyCaller } from './passkey-caller.js';

export default defineOperation<DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse>('idp', 'DeleteWebAuthnCredential', async (input, { app }) => {
  const { user } = await authorizePasskeyCaller(app, input.AccessToken);
  await deletePasskey(app, user, input.CredentialId);
  return {};
});
