// ConfirmForgotPassword (public): the reset code sets a new permanent password (the user becomes
// CONFIRMED, also from RESET_REQUIRED). Then every sign-in of the user is revoked, since whoever
// held the old password may hold tokens, and the user's failed-password count is cleared: the
// code proved control of a verified contact.
import { lockSubject } from '../../auth/lockout.js';
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '../../models/idp-types.js';
import { confirmForgotPassword } from '../../userpools/password-reset.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(
  'idp',
  'ConfirmForgotPassword',
  async (input, { app, sourceIp }) => {
    const { pool, client, user } = await confirmForgotPassword(app.users, input);
    await app.tokens.signOutUser(pool.id, user.id);
    await app.store.auth.clearFailures(pool.id, lockSubject({ app, pool, client, admin: false, sourceIp }, user, user.username));
    // Last, so that a failing function cannot keep old sessions alive (the new password stays).
    await app.triggers.postConfirmation({ pool, source: 'ConfirmForgotPassword', user, clientId: client.id, clientMetadata: input.ClientMetadata });
    return {};
  },
);
