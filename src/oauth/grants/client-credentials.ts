// The client_credentials grant (RFC 6749 §4.4) for machine clients (tokens.md §3): an access
// token whose subject is the client, carrying only custom (resource-server) scopes.
//   client allows the flow            unauthorized_client
//   scope: each allowed and custom, and its resource server still has it;
//          none given = every allowed custom scope                       invalid_scope
// Claims: sub (= client id), token_use, scope, auth_time, iss, exp, iat, version, jti,
// client_id; no username, groups, origin_jti or event_id. Signed with the pool's access key.
import { newUuid } from '../../ids.js';
import { tokenLifetimes } from '../../tokens/claims.js';
import { invalidRequest, invalidScope, unauthorizedClient } from '../errors.js';
import { isTriggerError } from '../../triggers/errors.js';
import type { Grant } from './types.js';

export const clientCredentialsGrant: Grant = async ({ app, pool, client, params }) => {
  const flows = (client.settings.AllowedOAuthFlows ?? []) as string[];
  if (!client.secret || !client.settings.AllowedOAuthFlowsUserPoolClient || !flows.includes('client_credentials')) {
    throw unauthorizedClient('The client_credentials flow is not enabled for this client.');
  }
  const allowed = (client.settings.AllowedOAuthScopes ?? []).filter((s) => s.includes('/'));
  const asked = params.get('scope')?.split(' ').filter(Boolean);
  const scopes = asked?.length ? [...new Set(asked)] : allowed;
  if (!scopes.length) throw invalidScope('The client allows no custom scopes.');
  for (const s of scopes) {
    if (!allowed.includes(s) || !(await app.oauth.resourceServers.scopeExists(pool.id, s))) throw invalidScope(`The scope ${s} is not allowed for this client.`);
  }
  const now = Math.floor(app.clock.now() / 1000);
  const expiresIn = tokenLifetimes(client).accessSeconds;
  const claims = {
    sub: client.id,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: now,
    iss: app.tokens.issuer(pool.id),
    exp: now + expiresIn,
    iat: now,
    version: 2,
    jti: newUuid(),
    client_id: client.id,
  };
  // PreTokenGeneration V3 (TokenGeneration_ClientCredentials) may add claims and scopes; its
  // failure is the request's (error_description: Cognito's trigger message).
  const source = 'TokenGeneration_ClientCredentials';
  const { access } = await app.triggers.customizeTokens({ pool, clientId: client.id, source, scopes, access: claims }).catch((e: unknown) => {
    throw isTriggerError(e) ? invalidRequest((e as Error).message) : e;
  });
  const token = await app.tokens.keys.sign(pool.id, 'access', access);
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
};
