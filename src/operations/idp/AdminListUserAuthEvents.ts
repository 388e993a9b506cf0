// AdminListUserAuthEvents: the user's sign-in, sign-up, password and code events, newest first,
// MaxResults (default 10) a page, NextToken onwards. Cognito answers UserPoolAddOnNotEnabledException
// unless threat protection is on; Tessera keeps the events for every pool (README: deviations).
import { decodeCursor } from '../../audit/audit.js';
import { InvalidParameterException } from '../../errors.js';
import type { AdminListUserAuthEventsRequest, AdminListUserAuthEventsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { AUTH_EVENT_TYPES, toAuthEventType } from './auth-event-shape.js';

const DEFAULT_PAGE = 10;

export default defineOperation<AdminListUserAuthEventsRequest, AdminListUserAuthEventsResponse>(
  'idp',
  'AdminListUserAuthEvents',
  async (input, { app }) => {
    const pool = await app.pools.get(input.UserPoolId);
    const user = await app.users.get(pool, input.Username);
    if (input.NextToken !== undefined && !decodeCursor(input.NextToken)) throw new InvalidParameterException('Invalid NextToken.');
    const page = await app.audit.list({
      poolId: pool.id,
      userId: user.id,
      types: AUTH_EVENT_TYPES,
      limit: input.MaxResults || DEFAULT_PAGE,
      next: input.NextToken,
    });
    return { AuthEvents: page.events.map(toAuthEventType), ...(page.next ? { NextToken: page.next } : {}) };
  },
);
