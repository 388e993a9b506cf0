// ListWebAuthnCredentials (AccessToken): the caller's passkeys, oldest first, 20 at most a page.
import { listPasskeys } from '../../auth/webauthn.js';
import type { ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { authorizePasskeyCaller } from './passkey-caller.js';

export default defineOperation<ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse>('idp', 'ListWebAuthnCredentials', async (input, { app }) => {
  const { user } = await authorizePasskeyCaller(app, input.AccessToken);
  const page = await listPasskeys(app, user, input.MaxResults, input.NextToken);
  return { Credentials: page.credentials, ...(page.next ? { NextToken: page.next } : {}) };
});
