// An upstream OpenID provider for the federation tests: panva's oidc-provider 8 on localhost,
// with one client whose redirect URI is Tessera's /oauth2/idpresponse (client_secret_post, as
// Tessera authenticates), devInteractions' login form (any name signs in as that account), no
// consent step, and accounts whose claims a test sets per login name.
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';

export interface Upstream {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims of the account a login name signs in as (sub = the name unless set). */
  accounts: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startUpstream(opts: { redirectUris: string[]; idTokenTtlSeconds?: number }): Promise<Upstream> {
  let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://localhost:${(server.address() as { port: number }).port}`;
  const accounts = new Map<string, Record<string, unknown>>();
  const clientId = 'tessera-federation';
  const clientSecret = 'upstream-client-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => false },
    ttl: { IdToken: opts.idTokenTtlSeconds ?? 3600, AccessToken: 600, Interaction: 600, Grant: 600, Session: 600 },
    cookies: { keys: ['upstream-cookie-key-for-tests'] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(accounts.get(id) ?? {}) }),
    }),
    // No consent page: the grant of the requested scopes exists already.
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string }; provider: { Grant: new (a: object) => { addOIDCScope(s: string): void; save(): Promise<string> } } } }) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();
  return { issuer, clientId, clientSecret, accounts, close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
