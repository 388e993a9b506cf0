// AdminUpdateAuthEventFeedback: an administrator marks one of the user's events Valid or Invalid;
// the verdict shows as EventFeedback (Provider "Tessera") in AdminListUserAuthEvents.
import { ResourceNotFoundException } from '../../errors.js';
import type { AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse>(
  'idp',
  'AdminUpdateAuthEventFeedback',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    const event = await app.audit.get(pool.id, input.EventId);
    if (!event || event.userId !== user.id) throw new ResourceNotFoundException('Auth event not found.');
    await app.audit.setFeedback(pool.id, event.id, input.FeedbackValue);
    return {};
  },
);
