// The pure parts of token minting: group claims (Cognito's preferred-role rule), lifetimes from a
// client's validity settings, and how attributes become ID token claims.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attributeClaims, groupClaims, tokenLifetimes } from '../../src/tokens/claims.js';
import type { AppClient, ClientSettings } from '../../src/userpools/pools.js';
import type { User } from '../../src/userpools/user.js';

const client = (settings: Partial<ClientSettings> = {}): AppClient => ({
  id: 'c1',
  poolId: 'us-east-1_X',
  name: 'app',
  secrets: [],
  settings: settings as ClientSettings,
  createdAt: 0,
  updatedAt: 0,
});
const user = (attributes: Record<string, string>): User => ({
  id: 'sub-1',
  poolId: 'us-east-1_X',
  username: 'u',
  usernameNorm: 'u',
  status: 'CONFIRMED',
  enabled: true,
  attributes,
  mfa: {},
  createdAt: 0,
  updatedAt: 0,
});

describe('groupClaims', () => {
  test('no groups, no claims', () => {
    assert.deepEqual(groupClaims([]), {});
  });

  test('groups ordered by precedence (unset last), roles deduplicated, preferred = lowest precedence', () => {
    const g = groupClaims([
      { name: 'b', role_arn: 'r:B', precedence: 3 },
      { name: 'none', role_arn: null, precedence: null },
      { name: 'a', role_arn: 'r:A', precedence: 1 },
      { name: 'a2', role_arn: 'r:A', precedence: 2 },
    ]);
    assert.deepEqual(g.groups, ['a', 'a2', 'b', 'none']);
    assert.deepEqual(g.roles, ['r:A', 'r:B']);
    assert.equal(g.preferredRole, 'r:A');
  });

  test('a tie at the best precedence between different roles has no preferred role', () => {
    assert.equal(groupClaims([{ name: 'x', role_arn: 'r:X', precedence: 0 }, { name: 'y', role_arn: 'r:Y', precedence: 0 }]).preferredRole, undefined);
    assert.equal(groupClaims([{ name: 'x', role_arn: 'r:X', precedence: 0 }, { name: 'y', role_arn: 'r:X', precedence: 0 }]).preferredRole, 'r:X');
    assert.equal(groupClaims([{ name: 'x', role_arn: 'r:X' }, { name: 'y', role_arn: 'r:Y' }]).preferredRole, undefined);
  });

  test('the best group without a role does not hide the roles of others', () => {
    const g = groupClaims([{ name: 'top', precedence: 0 }, { name: 'r', role_arn: 'r:R', precedence: 5 }]);
    assert.equal(g.preferredRole, 'r:R');
    assert.equal(groupClaims([{ name: 'top', precedence: 0 }]).roles, undefined);
  });
});

describe('tokenLifetimes', () => {
  test('defaults: 60 minutes, 60 minutes, 30 days', () => {
    assert.deepEqual(tokenLifetimes(client()), { accessSeconds: 3600, idSeconds: 3600, refreshSeconds: 30 * 86400 });
  });

  test('values without a unit are hours (access, id) and days (refresh); units apply per token', () => {
    assert.deepEqual(tokenLifetimes(client({ AccessTokenValidity: 2, IdTokenValidity: 24, RefreshTokenValidity: 7 })), {
      accessSeconds: 7200,
      idSeconds: 86400,
      refreshSeconds: 7 * 86400,
    });
    const c = client({
      AccessTokenValidity: 300,
      IdTokenValidity: 5,
      RefreshTokenValidity: 90,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
    assert.deepEqual(tokenLifetimes(c), { accessSeconds: 300, idSeconds: 300, refreshSeconds: 5400 });
  });
});

describe('attributeClaims', () => {
  const u = user({
    email: 'e@x',
    email_verified: 'true',
    phone_number_verified: 'false',
    updated_at: '42',
    address: '1 Main St',
    identities: '[{"userId":"1","providerName":"Google","primary":"true"}]',
    'custom:n': '7',
    'dev:custom:hidden': 'h',
  });

  test('types: booleans, number, address object, identities array, custom strings; dev: never', () => {
    assert.deepEqual(attributeClaims(u, client()), {
      email: 'e@x',
      email_verified: true,
      phone_number_verified: false,
      updated_at: 42,
      address: { formatted: '1 Main St' },
      identities: [{ userId: '1', providerName: 'Google', primary: 'true' }],
      'custom:n': '7',
    });
  });

  test('ReadAttributes limits what the client sees', () => {
    assert.deepEqual(attributeClaims(u, client({ ReadAttributes: ['email', 'custom:n', 'dev:custom:hidden'] })), { email: 'e@x', 'custom:n': '7' });
  });
});
