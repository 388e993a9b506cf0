// An app client's settings from a CreateUserPoolClient or UpdateUserPoolClient request: Cognito's
// defaults filled in and its checks made. UpdateUserPoolClient is a full replacement, so both
// operations go through `clientSettings` with whatever the request holds.
import { InvalidOAuthFlowException, InvalidParameterException, ScopeDoesNotExistException } from '../errors.js';
import type { CreateUserPoolClientRequest, SchemaAttributeType } from '../models/idp-types.js';
import type { ClientSettings } from './pools.js';
import { checkTokenValidity } from './token-validity.js';

/** The members of a request that become settings (identity, name and secret are handled apart). */
export type ClientSettingsInput = Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'ClientName' | 'GenerateSecret' | 'ClientSecret'>;

export interface ClientContext {
  /** The pool's attribute schema (for ReadAttributes / WriteAttributes). */
  schema: SchemaAttributeType[];
  poolId: string;
  hasSecret: boolean;
  /** Whether a `<resource server>/<scope>` scope exists in the pool. */
  customScopeExists: (scope: string) => Promise<boolean>;
  /** Whether an identity provider of that name exists in the pool (COGNITO always does). */
  providerExists: (name: string) => Promise<boolean>;
}

type AuthFlows = ClientSettings['ExplicitAuthFlows'];
/** Used when ExplicitAuthFlows is omitted (CreateUserPoolClient API reference). */
const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];
const LEGACY_AUTH_FLOWS = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);
const STANDARD_SCOPES = new Set(['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin']);
/** Readable by every client, but only the pool (an administrator, a verification) may set them. */
const NOT_WRITABLE = new Set(['sub', 'email_verified', 'phone_number_verified']);
const DEFAULT_AUTH_SESSION_MINUTES = 3;

/** The settings document of a client, or the Cognito exception its request deserves. */
export async function clientSettings(input: ClientSettingsInput, ctx: ClientContext): Promise<ClientSettings> {
  const validity = checkTokenValidity(input);
  checkAttributes('read', input.ReadAttributes, ctx.schema);
  checkAttributes('write', input.WriteAttributes, ctx.schema);
  await checkOAuth(input, ctx);
  return {
    ...validity,
    ReadAttributes: input.ReadAttributes,
    WriteAttributes: input.WriteAttributes,
    ExplicitAuthFlows: authFlows(input.ExplicitAuthFlows),
    SupportedIdentityProviders: input.SupportedIdentityProviders,
    CallbackURLs: input.CallbackURLs,
    LogoutURLs: input.LogoutURLs,
    DefaultRedirectURI: input.DefaultRedirectURI,
    AllowedOAuthFlows: input.AllowedOAuthFlows,
    AllowedOAuthScopes: input.AllowedOAuthScopes,
    AllowedOAuthFlowsUserPoolClient: input.AllowedOAuthFlowsUserPoolClient ?? false,
    AnalyticsConfiguration: input.AnalyticsConfiguration,
    PreventUserExistenceErrors: input.PreventUserExistenceErrors ?? 'LEGACY',
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: input.AuthSessionValidity ?? DEFAULT_AUTH_SESSION_MINUTES,
    RefreshTokenRotation: input.RefreshTokenRotation,
  };
}

/** Legacy flow names (no ALLOW_ prefix) and ALLOW_* names cannot be mixed; duplicates collapse. */
function authFlows(given: AuthFlows | undefined): AuthFlows {
  // (The generated list types read `"A" | "B"[]`; the wire value is a list of strings.)
  const flows = (given as unknown as string[] | undefined) ?? DEFAULT_AUTH_FLOWS;
  const legacy = flows.filter((f) => LEGACY_AUTH_FLOWS.has(f));
  if (legacy.length && legacy.length !== flows.length) {
    throw new InvalidParameterException(
      'ExplicitAuthFlows cannot mix the legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) with ALLOW_ values.',
    );
  }
  return [...new Set(flows)] as unknown as AuthFlows;
}

/**
 * ReadAttributes / WriteAttributes name attributes of the pool's schema. Nobody but the pool writes
 * `sub` or the *_verified flags, so a client may not list them for writing.
 */
function checkAttributes(kind: 'read' | 'write', names: string[] | undefined, schema: SchemaAttributeType[]): void {
  if (!names) return;
  const known = new Set(schema.map((a) => a.Name!));
  for (const name of names) {
    if (!known.has(name) || (kind === 'write' && NOT_WRITABLE.has(name))) {
      throw new InvalidParameterException(`Invalid ${kind} attributes specified while creating a client: ${name}`);
    }
  }
}

/**
 * OAuth settings:
 * - client_credentials needs a client secret and cannot be combined with code or implicit;
 * - scopes are the standard ones or `<resource server>/<scope>` of an existing resource server;
 * - redirect and sign-out URLs are absolute, without fragment, and https unless http://localhost
 *   (app schemes such as myapp://cb are allowed, but not javascript:, data:, vbscript:, file:,
 *   blob: or about:); DefaultRedirectURI is one of CallbackURLs;
 * - an OAuth-enabled client (AllowedOAuthFlowsUserPoolClient) names at least one flow and scope;
 * - the identity providers must exist in the pool.
 */
async function checkOAuth(input: ClientSettingsInput, ctx: ClientContext): Promise<void> {
  const flows = (input.AllowedOAuthFlows ?? []) as unknown as string[];
  if (flows.includes('client_credentials')) {
    if (!ctx.hasSecret) {
      throw new InvalidOAuthFlowException('client_credentials flow can not be selected if client does not have a client secret.');
    }
    if (flows.includes('code') || flows.includes('implicit')) {
      throw new InvalidOAuthFlowException('client_credentials flow can not be selected along with code flow or implicit flow.');
    }
  }
  if (input.AllowedOAuthFlowsUserPoolClient) {
    if (!flows.length) throw new InvalidOAuthFlowException('AllowedOAuthFlows must name at least one flow for an OAuth client.');
    if (!input.AllowedOAuthScopes?.length) {
      throw new InvalidParameterException('AllowedOAuthScopes must name at least one scope for an OAuth client.');
    }
  }
  for (const scope of input.AllowedOAuthScopes ?? []) {
    if (STANDARD_SCOPES.has(scope)) continue;
    if (!scope.includes('/') || !(await ctx.customScopeExists(scope))) {
      throw new ScopeDoesNotExistException(`Invalid scope requested: ${scope}`);
    }
  }
  for (const url of input.CallbackURLs ?? []) checkRedirectUrl('CallbackURLs', url);
  for (const url of input.LogoutURLs ?? []) checkRedirectUrl('LogoutURLs', url);
  if (input.DefaultRedirectURI !== undefined) {
    checkRedirectUrl('DefaultRedirectURI', input.DefaultRedirectURI);
    if (!(input.CallbackURLs ?? []).includes(input.DefaultRedirectURI)) {
      throw new InvalidParameterException('DefaultRedirectURI must be one of the CallbackURLs.');
    }
  }
  for (const name of input.SupportedIdentityProviders ?? []) {
    if (name !== 'COGNITO' && !(await ctx.providerExists(name))) {
      throw new InvalidParameterException(`The provider ${name} does not exist for User Pool ${ctx.poolId}`);
    }
  }
}

const UNSAFE_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);

function checkRedirectUrl(member: string, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidParameterException(`${member} must hold absolute URLs: ${url} is not one.`);
  }
  if (parsed.hash || url.includes('#')) throw new InvalidParameterException(`${member} cannot contain a fragment: ${url}`);
  // Schemes that run or read in the browser, not an app's: a redirect there is an attack.
  if (UNSAFE_SCHEMES.has(parsed.protocol)) throw new InvalidParameterException(`${member} cannot use the ${parsed.protocol} scheme: ${url}`);
  if (parsed.protocol === 'http:' && parsed.hostname !== 'localhost') {
    throw new InvalidParameterException(`${member} must use https (http is allowed only for localhost): ${url}`);
  }
}

