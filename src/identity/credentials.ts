// Temporary credentials for an identity (identity-and-sync.md A.5 step 5).
//
// With TESSERA_STS_ENDPOINT set, Tessera does what Cognito does: STS AssumeRoleWithWebIdentity
// with the role chosen and the identity's OpenID token, and returns what STS gives. Without it,
// Tessera issues credentials itself, valid 1 hour: `ASIA…` access key id, random secret and
// session token, both sealed at rest. Tessera's own SigV4 check accepts them (see `lookup`) as
// the principal of that identity, which is what its Cognito Sync endpoint needs.
import { STSClient, AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import { ExternalServiceException, InvalidIdentityPoolConfigurationException } from '../errors.js';
import { randomString, randomToken } from '../ids.js';
import type { Credential } from '../protocol/sigv4.js';
import type { Store } from '../store/store.js';

export const CREDENTIALS_TTL_SECONDS = 3600;
const SECRET_PURPOSE = 'identity-credential';
const SESSION_PURPOSE = 'identity-session-token';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface IssuedCredentials {
  accessKeyId: string;
  secretKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface CredentialRequest {
  identityId: string;
  identityPoolId: string;
  roleArn: string;
  /** Mints the identity's OpenID token (for STS). */
  openIdToken: () => Promise<string>;
  /** Lifetime of credentials Tessera issues itself (default one hour). */
  ttlSeconds?: number;
}

export class IdentityCredentials {
  private sts?: STSClient;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly config: Config,
  ) {}

  async issue(req: CredentialRequest): Promise<IssuedCredentials> {
    return this.config.stsEndpoint ? this.assumeRole(req) : this.issueOwn(req);
  }

  /**
   * The SigV4 credential behind an access key id Tessera issued: its secret, session token,
   * expiry and the identity it acts for. Undefined for unknown keys and disabled identities.
   */
  async lookup(accessKeyId: string): Promise<Credential | undefined> {
    if (!accessKeyId.startsWith('ASIA')) return undefined;
    const row = await this.store.identityCredentials.get(accessKeyId);
    if (!row) return undefined;
    const identity = await this.store.identities.get(row.identity_id);
    if (!identity || !identity.enabled) return undefined;
    const secret = this.sealer.open(SECRET_PURPOSE, row.secret);
    const sessionToken = this.sealer.open(SESSION_PURPOSE, row.session_token);
    if (!secret || !sessionToken) return undefined;
    return {
      secretAccessKey: secret.toString('utf8'),
      sessionToken: sessionToken.toString('utf8'),
      expiresAt: row.expires_at,
      principal: { kind: 'identity', accessKeyId, identityId: row.identity_id, identityPoolId: row.pool_id },
    };
  }

  /** Credentials Tessera issues itself, whatever TESSERA_STS_ENDPOINT says (its own STS, sts.ts). */
  async issueOwn(req: Omit<CredentialRequest, 'openIdToken'>): Promise<IssuedCredentials> {
    const now = this.clock.now();
    const issued: IssuedCredentials = {
      accessKeyId: 'ASIA' + randomString(16, UPPER_ALNUM),
      secretKey: randomToken(30),
      sessionToken: 'TESSERA' + randomToken(96),
      expiresAt: now + (req.ttlSeconds ?? CREDENTIALS_TTL_SECONDS) * 1000,
    };
    // Credentials expired for a day are of no use even to explain an ExpiredToken: forget them.
    await this.store.identityCredentials.deleteExpired(now - 24 * 3600 * 1000);
    await this.store.identityCredentials.insert({
      access_key_id: issued.accessKeyId,
      identity_id: req.identityId,
      pool_id: req.identityPoolId,
      role_arn: req.roleArn,
      secret: this.sealer.seal(SECRET_PURPOSE, issued.secretKey),
      session_token: this.sealer.seal(SESSION_PURPOSE, issued.sessionToken),
      expires_at: issued.expiresAt,
      created_at: now,
    });
    return issued;
  }

  private async assumeRole(req: CredentialRequest): Promise<IssuedCredentials> {
    this.sts ??= new STSClient({ region: this.config.region, endpoint: this.config.stsEndpoint, maxAttempts: 2 });
    const token = await req.openIdToken();
    let out;
    try {
      out = await this.sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: req.roleArn,
          WebIdentityToken: token,
          RoleSessionName: 'CognitoIdentityCredentials',
          DurationSeconds: CREDENTIALS_TTL_SECONDS,
        }),
      );
    } catch (e) {
      const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = err.$metadata?.httpStatusCode;
      // STS refusing the role (trust policy, unknown role, bad token) is a pool configuration
      // problem, as Cognito reports it; anything else means STS could not be used.
      if (status !== undefined && status >= 400 && status < 500 && err.name !== 'ThrottlingException') {
        throw new InvalidIdentityPoolConfigurationException('Invalid identity pool configuration. Check assigned IAM roles for this pool.');
      }
      throw new ExternalServiceException('The security token service is not available.');
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new ExternalServiceException('The security token service returned no credentials.');
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiresAt: c.Expiration.getTime(),
    };
  }

  close(): void {
    this.sts?.destroy();
  }
}
