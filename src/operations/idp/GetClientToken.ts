// GetClientToken: the client_credentials grant through the API instead of /oauth2/token. A signed
// call naming a confidential app client and its secret; the answer is the same access token the
// token endpoint would give (src/oauth/grants/client-credentials.ts: the client must allow the
// flow; the scopes are custom ones it allows, all of them when none are asked).
// The model gives this newer operation untyped members, so their shapes are checked here.
import { clientSecretMatches } from '../../userpools/pools.js';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { clientCredentialsGrant } from '../../oauth/grants/client-credentials.js';
import { OAuthError } from '../../oauth/errors.js';
import { defineOperation } from '../operation.js';

interface Input {
  ClientId?: unknown;
  Secret?: unknown;
  Scopes?: unknown;
  ClientMetadata?: unknown;
}

interface Output {
  ClientAuthenticationResult: { AccessToken: string; ExpiresIn: number; TokenType: string };
}

const CLIENT_ID = /^[\w+]{1,128}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

function checkInput(input: Input): { clientId: string; secret: string; scopes?: string[] } {
  const { ClientId: clientId, Secret: secret, Scopes: scopes, ClientMetadata: metadata } = input;
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    throw new InvalidParameterException("1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+");
  }
  if (typeof secret !== 'string' || secret.length < 1 || secret.length > 64) {
    throw new InvalidParameterException("1 validation error detected: Value at 'secret' failed to satisfy constraint: Member must have length between 1 and 64");
  }
  if (scopes !== undefined && (!Array.isArray(scopes) || scopes.length > 50 || !scopes.every((s) => typeof s === 'string' && SCOPE.test(s)))) {
    throw new InvalidParameterException("1 validation error detected: Value at 'scopes' failed to satisfy constraint: Member must be a list of at most 50 scope names");
  }
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || !Object.values(metadata).every((v) => typeof v === 'string'))) {
    throw new InvalidParameterException("1 validation error detected: Value at 'clientMetadata' failed to satisfy constraint: Member must be a map of strings");
  }
  return { clientId, secret, scopes: scopes as string[] | undefined };
}

export default defineOperation<Input, Output>('idp', 'GetClientToken', async (input, { app }) => {
  const { clientId, secret, scopes } = checkInput(input);
  const client = await app.pools.getClient(undefined, clientId);
  if (!clientSecretMatches(client, secret)) {
    throw new NotAuthorizedException(`Unable to verify secret for client ${clientId}`);
  }
  const pool = await app.pools.get(client.poolId);
  const params = new URLSearchParams(scopes?.length ? { scope: scopes.join(' ') } : {});
  try {
    const r = await clientCredentialsGrant({ app, pool, client, params });
    return { ClientAuthenticationResult: { AccessToken: r.access_token, ExpiresIn: r.expires_in, TokenType: r.token_type } };
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    // unauthorized_client: the flow is not enabled for the client; invalid_scope / invalid_request
    // (a scope it may not have, a refusing PreTokenGeneration trigger): the request's fault.
    if (e.error === 'unauthorized_client') throw new NotAuthorizedException(e.description);
    throw new InvalidParameterException(e.description);
  }
});
