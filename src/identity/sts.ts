// The second half of the basic (classic) flow (identity-and-sync.md A.6): the app, holding an
// OpenID token from GetOpenIdToken (or GetOpenIdTokenForDeveloperIdentity), calls STS
// AssumeRoleWithWebIdentity itself. Tessera answers that call at `{TESSERA_PUBLIC_URL}/identity/sts`
// for its own tokens, with credentials it issues (the ones its Cognito Sync accepts).
//
// What STS checks, with Tessera's pool roles standing in for IAM trust policies (Tessera has no
// IAM; Cognito's roles trust `cognito-identity.amazonaws.com:aud` = the pool and `:amr`):
//   token      signed by Tessera's identity key, issuer, not expired     else InvalidIdentityToken /
//                                                                          ExpiredTokenException
//   identity   exists, enabled, in the token's pool                     else InvalidIdentityToken
//   role       the pool's `authenticated` role for amr authenticated,   else AccessDenied
//              its `unauthenticated` role for guests
//   duration   900 to 43200 seconds (default 3600)                      else ValidationError
// Role mappings do not apply: in the basic flow the app chooses the role.
import { decodeJwt } from 'jose';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Store } from '../store/store.js';
import type { IdentityCredentials, IssuedCredentials } from './credentials.js';
import type { IdentityTokens } from './openid.js';
import type { IdentityPools } from './pools.js';

export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface WebIdentityRequest {
  roleArn?: string;
  roleSessionName?: string;
  webIdentityToken?: string;
  durationSeconds?: string;
}

export interface AssumedRole {
  credentials: IssuedCredentials;
  subject: string;
  audience: string;
  provider: string;
  assumedRoleArn: string;
  assumedRoleId: string;
}

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

export class WebIdentitySts {
  constructor(
    private readonly deps: { store: Store; clock: Clock; config: Config; pools: IdentityPools; tokens: IdentityTokens; credentials: IdentityCredentials },
  ) {}

  async assumeRole(req: WebIdentityRequest): Promise<AssumedRole> {
    const { roleArn, roleSessionName, webIdentityToken } = req;
    if (!roleArn || !roleSessionName || !webIdentityToken) {
      throw new StsError('MissingParameter', 'RoleArn, RoleSessionName and WebIdentityToken are required.');
    }
    const role = ROLE_ARN.exec(roleArn);
    if (!role) throw new StsError('ValidationError', `${roleArn} is not a valid role ARN.`);
    if (!SESSION_NAME.test(roleSessionName)) throw new StsError('ValidationError', 'RoleSessionName must be 2 to 64 characters of [\\w+=,.@-].');
    const duration = req.durationSeconds === undefined ? 3600 : Number(req.durationSeconds);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
      throw new StsError('ValidationError', 'DurationSeconds must be between 900 and 43200.');
    }

    let aud: unknown;
    let exp: unknown;
    try {
      ({ aud, exp } = decodeJwt(webIdentityToken));
    } catch {
      throw new StsError('InvalidIdentityToken', 'The ID Token provided is not a valid JWT.');
    }
    if (typeof aud !== 'string') throw new StsError('InvalidIdentityToken', 'Incorrect token audience.');
    const claims = await this.deps.tokens.verify(webIdentityToken, aud);
    if (!claims) {
      if (typeof exp === 'number' && exp * 1000 <= this.deps.clock.now()) throw new StsError('ExpiredTokenException', 'Token is expired.');
      throw new StsError('InvalidIdentityToken', "The token's signature, issuer or audience is not valid.");
    }
    const identity = await this.deps.store.identities.get(claims.sub!);
    if (!identity || !identity.enabled || identity.pool_id !== aud) throw new StsError('InvalidIdentityToken', 'The identity of this token does not exist.');
    const pool = await this.deps.pools.get(aud).catch(() => undefined);
    if (!pool) throw new StsError('InvalidIdentityToken', 'The identity pool of this token does not exist.');

    const kind = Array.isArray(claims.amr) && claims.amr[0] === 'authenticated' ? 'authenticated' : 'unauthenticated';
    if (pool.roles.Roles[kind] !== roleArn) {
      throw new StsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    }
    const credentials = await this.deps.credentials.issueOwn({ identityId: identity.id, identityPoolId: pool.id, roleArn, ttlSeconds: duration });
    return {
      credentials,
      subject: identity.id,
      audience: pool.id,
      provider: this.deps.tokens.issuer(),
      assumedRoleArn: `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/${roleSessionName}`,
      assumedRoleId: `AROA${credentials.accessKeyId.slice(4, 20)}:${roleSessionName}`,
    };
  }
}
