// The identity pool OpenID token (identity-and-sync.md A.4): a JWT signed by Tessera's identity
// key, iss `${publicUrl}/identity`, sub = identity id, aud = identity pool id, amr telling guests
// from authenticated identities. STS-compatible peers verify it through the JWKS served under the
// issuer (`/.well-known/jwks_uri`, AWS's odd file name, and `/.well-known/jwks.json`).
//
// The key pair is made once per deployment and kept in the settings table, the private half
// sealed; the first process to store it wins, so every process signs with the same key.
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Store } from '../store/store.js';

const ALG = 'RS512';
const SETTING = 'identity-signing-key';
const PURPOSE = 'identity-signing-key';
/** Tokens from GetOpenIdToken live 10 minutes. */
export const OPENID_TOKEN_TTL_SECONDS = 600;
/** The claim that carries principal tags (attributes for access control). */
export const TAGS_CLAIM = 'https://aws.amazon.com/tags';

interface StoredKey {
  kid: string;
  publicJwk: JWK;
  /** Sealed private JWK. */
  privateJwk: string;
}

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  privateKey: CryptoKey | Uint8Array;
  publicKey: CryptoKey | Uint8Array;
}

export interface OpenIdClaims {
  identityId: string;
  identityPoolId: string;
  /** `["unauthenticated"]` or `["authenticated", <provider>, <provider>:<subject>, ...]`. */
  amr: string[];
  ttlSeconds?: number;
  /** Principal tags: tag -> value (sent as `{ principal_tags: { tag: [value] } }`). */
  principalTags?: Record<string, string>;
}

export class IdentityTokens {
  private key?: Promise<LoadedKey>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly config: Config,
  ) {}

  /** `${publicUrl}/identity`, read on each use (tests learn the URL only once listening). */
  issuer(): string {
    return `${this.config.publicUrl}/identity`;
  }

  /** Signs an OpenID token for an identity. */
  async sign(c: OpenIdClaims): Promise<string> {
    const key = await this.loadKey();
    const now = Math.floor(this.clock.now() / 1000);
    const payload: JWTPayload = { amr: c.amr };
    if (c.principalTags && Object.keys(c.principalTags).length) {
      payload[TAGS_CLAIM] = {
        principal_tags: Object.fromEntries(Object.entries(c.principalTags).map(([k, v]) => [k, [v]])),
      };
    }
    return new SignJWT(payload)
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWS' })
      .setIssuer(this.issuer())
      .setSubject(c.identityId)
      .setAudience(c.identityPoolId)
      .setIssuedAt(now)
      .setExpirationTime(now + (c.ttlSeconds ?? OPENID_TOKEN_TTL_SECONDS))
      .sign(key.privateKey);
  }

  /** Verifies one of our own tokens for a pool; undefined when it is not valid (any reason). */
  async verify(token: string, identityPoolId: string): Promise<JWTPayload | undefined> {
    const key = await this.loadKey();
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: [ALG],
        issuer: this.issuer(),
        audience: identityPoolId,
        currentDate: new Date(this.clock.now()),
      });
      return typeof payload.sub === 'string' ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const key = await this.loadKey();
    return { keys: [key.publicJwk] };
  }

  discovery(): Record<string, unknown> {
    const iss = this.issuer();
    return {
      issuer: iss,
      jwks_uri: `${iss}/.well-known/jwks_uri`,
      response_types_supported: ['code', 'token', 'id_token', 'code token', 'code id_token', 'token id_token', 'code token id_token', 'none'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [ALG],
      claims_supported: ['sub', 'aud', 'iss', 'iat', 'exp', 'amr', TAGS_CLAIM],
    };
  }

  private loadKey(): Promise<LoadedKey> {
    this.key ??= this.readOrCreateKey().catch((e) => {
      this.key = undefined;
      throw e;
    });
    return this.key;
  }

  private async readOrCreateKey(): Promise<LoadedKey> {
    let raw = await this.store.settings.get(SETTING);
    if (!raw) {
      const pair = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
      const publicJwk = await exportJWK(pair.publicKey);
      const kid = `${this.config.region}-${this.clock.now().toString(36)}`;
      const stored: StoredKey = {
        kid,
        publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
        privateJwk: this.sealer.sealJson(PURPOSE, await exportJWK(pair.privateKey)),
      };
      raw = await this.store.settings.setIfAbsent(SETTING, JSON.stringify(stored));
    }
    const stored = JSON.parse(raw) as StoredKey;
    const privateJwk = this.sealer.openJson<JWK>(PURPOSE, stored.privateJwk);
    if (!privateJwk) throw new Error('the identity signing key cannot be opened with this master key');
    return {
      kid: stored.kid,
      publicJwk: stored.publicJwk,
      privateKey: await importJWK(privateJwk, ALG),
      publicKey: await importJWK(stored.publicJwk, ALG),
    };
  }
}
