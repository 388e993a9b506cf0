// What a grant of the token endpoint receives (its client already authenticated) and returns.
import type { App } from '../../app.js';
import type { SessionContext } from '../../sessions/sessions.js';
import type { AppClient, UserPool } from '../../userpools/pools.js';

export interface GrantContext {
  app: App;
  pool: UserPool;
  client: AppClient;
  params: URLSearchParams;
  /** The token request's address and user agent (session tracking). */
  context?: SessionContext;
}

/** The token endpoint's JSON answer (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
}

export type Grant = (ctx: GrantContext) => Promise<TokenResponse>;
