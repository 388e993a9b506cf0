// The OAuth 2.0 endpoints' own error family (RFC 6749 §4.1.2.1, §5.2; RFC 7009 §2.2.1; RFC 6750
// §3.1; OIDC Core §3.1.2.6). `error` is the contract, stable and typed; `description` is for
// people. The token, revoke and userInfo endpoints answer these as JSON (or WWW-Authenticate);
// /oauth2/authorize puts them on the redirect URI once that URI is known to be registered.
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_token'
  | 'login_required'
  | 'access_denied'
  | 'server_error';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** HTTP status when answered directly (not through a redirect). */
    readonly status = error === 'invalid_client' || error === 'invalid_token' ? 401 : 400,
  ) {
    super(`${error}: ${description}`);
  }
}

export const invalidRequest = (d: string) => new OAuthError('invalid_request', d);
export const invalidClient = (d = 'Client authentication failed.') => new OAuthError('invalid_client', d);
export const invalidGrant = (d: string) => new OAuthError('invalid_grant', d);
export const invalidScope = (d: string) => new OAuthError('invalid_scope', d);
export const unauthorizedClient = (d: string) => new OAuthError('unauthorized_client', d);
