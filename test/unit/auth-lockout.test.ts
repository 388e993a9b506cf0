import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, lockDurationMs } from '../../src/auth/lockout.js';
import { enabledFlows } from '../../src/auth/explicit-flows.js';
import type { AppClient } from '../../src/userpools/pools.js';

test('no lock below the threshold, then 1 s doubling up to 15 minutes', () => {
  assert.equal(lockDurationMs(4), 0);
  assert.equal(lockDurationMs(5), 1000);
  assert.equal(lockDurationMs(6), 2000);
  assert.equal(lockDurationMs(8), 8000);
  assert.equal(lockDurationMs(15), DEFAULT_LIMITS.maxLockMs);
  assert.equal(lockDurationMs(5000), DEFAULT_LIMITS.maxLockMs);
});

const client = (flows?: string[]) => ({ settings: { ExplicitAuthFlows: flows } }) as unknown as AppClient;

test('ExplicitAuthFlows: default, ALLOW_ values, legacy values', () => {
  assert.deepEqual([...enabledFlows(client())].sort(), ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  assert.deepEqual([...enabledFlows(client(['ALLOW_USER_PASSWORD_AUTH']))], ['ALLOW_USER_PASSWORD_AUTH']);
  const legacy = enabledFlows(client(['ADMIN_NO_SRP_AUTH']));
  assert.ok(legacy.has('ALLOW_ADMIN_USER_PASSWORD_AUTH') && legacy.has('ALLOW_USER_SRP_AUTH') && legacy.has('ALLOW_REFRESH_TOKEN_AUTH'));
  assert.ok(!legacy.has('ALLOW_USER_PASSWORD_AUTH'));
  assert.ok(!enabledFlows(client(['CUSTOM_AUTH_FLOW_ONLY'])).has('ALLOW_USER_SRP_AUTH'));
});
