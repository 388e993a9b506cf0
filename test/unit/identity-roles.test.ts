// Role selection for roles a provider offers itself (SAML's Role attribute), beside mappings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRole } from '../../src/identity/roles.js';

const ROLES = { Roles: { authenticated: 'arn:aws:iam::1:role/user', unauthenticated: 'arn:aws:iam::1:role/guest' } };
const A = 'arn:aws:iam::1:role/a';
const B = 'arn:aws:iam::1:role/b';
const saml = (offeredRoles: string[]) => ({ mappingKeys: ['arn:aws:iam::1:saml-provider/x'], claims: {}, offeredRoles });

test('one offered role is chosen; several need a CustomRoleArn among them', () => {
  assert.deepEqual(chooseRole(ROLES, [saml([A])], false), { ok: true, roleArn: A });
  assert.deepEqual(chooseRole(ROLES, [saml([A, B])], false), { ok: false, reason: 'choose-role' });
  assert.deepEqual(chooseRole(ROLES, [saml([A, B])], false, B), { ok: true, roleArn: B });
  assert.deepEqual(chooseRole(ROLES, [saml([A, B])], false, 'arn:aws:iam::1:role/user'), { ok: false, reason: 'custom-role-not-allowed' });
});

test('no offered roles: the authenticated role; a role mapping for the provider wins over offered roles', () => {
  assert.deepEqual(chooseRole(ROLES, [saml([])], false), { ok: true, roleArn: 'arn:aws:iam::1:role/user' });
  const mapped = {
    ...ROLES,
    RoleMappings: {
      'arn:aws:iam::1:saml-provider/x': {
        Type: 'Rules' as const,
        AmbiguousRoleResolution: 'AuthenticatedRole' as const,
        RulesConfiguration: { Rules: [{ Claim: 'sub', MatchType: 'Equals' as const, Value: 'n', RoleARN: B }] },
      },
    },
  };
  assert.deepEqual(chooseRole(mapped, [{ ...saml([A]), claims: { sub: 'n' } }], false), { ok: true, roleArn: B });
});
