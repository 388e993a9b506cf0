// UpdateAuthEventFeedback: the user's own verdict on one event, proven by the FeedbackToken that
// was handed out for it (app.audit.feedbackToken: sealed pool, event and user; the console shows
// it). A token for another event, user or pool is NotAuthorizedException.
import { NotAuthorizedException, ResourceNotFoundException } from '../../errors.js';
import type { UpdateAuthEventFeedbackRequest, UpdateAuthEventFeedbackResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UpdateAuthEventFeedbackRequest, UpdateAuthEventFeedbackResponse>(
  'idp',
  'UpdateAuthEventFeedback',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    const event = await app.audit.get(pool.id, input.EventId);
    if (!event || event.userId !== user.id) throw new ResourceNotFoundException('Auth event not found.');
    if (!app.audit.isFeedbackToken(input.FeedbackToken, pool.id, event.id, user.id)) {
      throw new NotAuthorizedException('Invalid feedback token.');
    }
    await app.audit.setFeedback(pool.id, event.id, input.FeedbackValue);
    return {};
  },
);
