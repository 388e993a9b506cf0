// app.identity: identity pools (cognito-identity) as one service. The parts:
//   pools        identity pools, roles, principal-tag maps
//   identities   GetId, authorisation of the end-user calls, linking and merging, admin reads
//   developer    developer-authenticated identities
//   tokens       the identity OpenID token, its JWKS and discovery
//   credentials  temporary credentials (STS or Tessera-issued) and their SigV4 lookup
//   sts          Tessera's own AssumeRoleWithWebIdentity for the basic flow (sts.ts)
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import { InvalidIdentityPoolConfigurationException, NotAuthorizedException } from '../errors.js';
import type { Credential } from '../protocol/sigv4.js';
import type { Store } from '../store/store.js';
import { IdentityCredentials, type IssuedCredentials } from './credentials.js';
import { DEVELOPER_TOKEN_TTL_SECONDS, DeveloperIdentities, type DeveloperLogin } from './developer.js';
import { Identities, type AuthorizedIdentity } from './identities.js';
import type { MergeEvents } from './linking.js';
import type { LoginContext, VerifiedLogin } from './logins.js';
import { ExternalLogins } from './external-logins.js';
import { IdentityTokens } from './openid.js';
import { providerFetch } from './provider-fetch.js';
import { SamlLogins } from './saml-logins.js';
import { IdentityPools, type IdentityPool } from './pools.js';
import { chooseRole } from './roles.js';
import { WebIdentitySts } from './sts.js';
import { userPoolTokenVerifier, type UserPoolKeySource } from './user-pool-tokens.js';

export interface IdentityDeps {
  store: Store;
  clock: Clock;
  sealer: Sealer;
  config: Config;
  /** app.tokens, read when a user pool token arrives (absent: user pool logins are refused). */
  userPoolKeys: () => UserPoolKeySource | undefined;
  /** app.sync.events, told of datasets that identity merges move (absent: nobody is). */
  mergeEvents?: MergeEvents;
}

/** Principal tags a user pool login gives by default (UseDefaults): tag -> claim. */
const DEFAULT_TAG_CLAIMS: Record<string, string> = { username: 'sub', client: 'aud' };

export class IdentityService {
  readonly pools: IdentityPools;
  readonly identities: Identities;
  readonly developer: DeveloperIdentities;
  readonly tokens: IdentityTokens;
  readonly credentials: IdentityCredentials;
  readonly sts: WebIdentitySts;

  constructor(deps: IdentityDeps) {
    const { store, clock, sealer, config } = deps;
    this.pools = new IdentityPools(store, clock, config);
    this.tokens = new IdentityTokens(store, clock, sealer, config);
    this.credentials = new IdentityCredentials(store, clock, sealer, config);
    const verifier = userPoolTokenVerifier(deps.userPoolKeys, store, clock);
    const fetchFrom = providerFetch(() => config.identityProviderEndpoints ?? {});
    const external = new ExternalLogins(fetchFrom, clock);
    const saml = new SamlLogins({ clock, fetchFrom, tagsOf: (pool) => this.pools.tagsOf(pool) });
    const loginContext = (): LoginContext => ({ publicUrl: config.publicUrl, tokens: this.tokens, userPoolTokens: verifier, external, saml });
    this.identities = new Identities(store, clock, this.pools, loginContext, deps.mergeEvents);
    this.developer = new DeveloperIdentities(store, clock, this.pools, loginContext, deps.mergeEvents);
    this.sts = new WebIdentitySts({ store, clock, config, pools: this.pools, tokens: this.tokens, credentials: this.credentials });
  }

  /** The OpenID token of an authorised identity (GetOpenIdToken). */
  openIdToken(a: AuthorizedIdentity): Promise<string> {
    return this.tokens.sign({
      identityId: a.identityId,
      identityPoolId: a.pool.id,
      amr: amrOf(a.logins),
      principalTags: principalTagsOf(a.pool, a.logins),
    });
  }

  /** The OpenID token of a developer identity (GetOpenIdTokenForDeveloperIdentity). */
  developerToken(d: DeveloperLogin, principalTags?: Record<string, string>, ttlSeconds?: number): Promise<string> {
    const dev = d.pool.settings.DeveloperProviderName!;
    return this.tokens.sign({
      identityId: d.identityId,
      identityPoolId: d.pool.id,
      amr: ['authenticated', dev, `${dev}:${d.pool.id}:${d.developerUserId}`, ...d.logins.flatMap((l) => l.amr)],
      ttlSeconds: ttlSeconds ?? DEVELOPER_TOKEN_TTL_SECONDS,
      principalTags: { ...principalTagsOf(d.pool, d.logins), ...(principalTags ?? {}) },
    });
  }

  /** Credentials of an authorised identity for the role its pool gives it (GetCredentialsForIdentity). */
  async credentialsFor(a: AuthorizedIdentity, customRoleArn?: string): Promise<IssuedCredentials> {
    const choice = chooseRole(a.pool.roles, a.logins, a.logins.length === 0, customRoleArn);
    if (!choice.ok) {
      if (choice.reason === 'no-role') {
        throw new InvalidIdentityPoolConfigurationException('Invalid identity pool configuration. Check assigned IAM roles for this pool.');
      }
      throw new NotAuthorizedException(
        choice.reason === 'denied'
          ? 'No role could be determined for this identity (the role mapping denies it).'
          : choice.reason === 'choose-role'
            ? 'The identity provider offers several roles: name one of them as CustomRoleArn.'
            : 'The custom role ARN is not allowed for this identity.',
      );
    }
    return this.credentials.issue({
      identityId: a.identityId,
      identityPoolId: a.pool.id,
      roleArn: choice.roleArn,
      openIdToken: () => this.openIdToken(a),
    });
  }

  /** The SigV4 credential behind a Tessera-issued identity access key. */
  lookupCredential(accessKeyId: string): Promise<Credential | undefined> {
    return this.credentials.lookup(accessKeyId);
  }

  close(): void {
    this.credentials.close();
  }
}

function amrOf(logins: VerifiedLogin[]): string[] {
  if (!logins.length) return ['unauthenticated'];
  return ['authenticated', ...logins.flatMap((l) => l.amr)];
}

/** Tags from the pool's principal-tag maps: each tag takes the value of a claim of the login. */
function principalTagsOf(pool: IdentityPool, logins: VerifiedLogin[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const l of logins) {
    const map = pool.principalTags[l.provider] ?? pool.principalTags[l.key];
    if (!map) continue;
    const claims = map.UseDefaults ? DEFAULT_TAG_CLAIMS : (map.PrincipalTags ?? {});
    for (const [tag, claim] of Object.entries(claims)) {
      const v = l.claims[claim];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') tags[tag] = String(v);
    }
  }
  return tags;
}
