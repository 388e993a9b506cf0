// Signing keys of the user pools. Each pool has two RS256 keys, one for ID tokens and one for
// access tokens (Cognito does the same; tokens.md §1), made on first use.
//
// Rules enforced here:
// - Private keys are sealed at rest (purpose 'signing-key'); only public JWKs are stored in clear.
// - Creation and rotation are safe across processes: a key is inserted-or-ignored against the
//   unique (pool, use, generation) and the set re-read, so every process ends with the same keys.
// - The highest generation of a use is current. A replaced key stays published (JWKS) and
//   accepted for verification until every token it could have signed has expired:
//   retired_at + the longest ID/access token lifetime (1 day) + clock skew.
// - Imported keys are cached in memory (KEY_CACHE_MS); an unknown `kid` reloads the set (the same
//   unknown kid at most once per RELOAD_MIN_MS), so a key made by another process is found at once.
// - Signing uses node:crypto's sign with a KeyObject: RSASSA-PKCS1-v1_5 on the app's crypto worker
//   threads (src/crypto/workers.ts; without them, on the libuv thread pool), off the event loop,
//   without WebCrypto's per-call overhead. The JWT is the one jose's
//   SignJWT makes (header {"kid","alg"}, the payload's JSON, base64url): RS256 is deterministic, so
//   the bytes are the same. Verification uses WebCrypto through jose.
import { createPrivateKey, sign as rsaSign, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import type { CryptoWorkers } from '../crypto/workers.js';
import type { Sealer } from '../crypto/sealed.js';
import { randomToken } from '../ids.js';
import type { SigningKeyRow } from '../store/schema.js';
import type { Store } from '../store/store.js';

export type TokenUse = 'id' | 'access';
const USES: readonly TokenUse[] = ['id', 'access'];

export const SIGNING_ALG = 'RS256';
const SEAL_PURPOSE = 'signing-key';
const MODULUS_BITS = 2048;

/** The longest lifetime of an ID or access token (Cognito's maximum validity). */
export const MAX_JWT_LIFETIME_MS = 24 * 3600 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const KEY_CACHE_MS = 60 * 1000;
const RELOAD_MIN_MS = 1000;
const MAX_UNKNOWN_KIDS = 10_000;

/** A published key as the JWKS lists it. */
export interface PublicJwk {
  kty: string;
  alg: string;
  use: 'sig';
  kid: string;
  n: string;
  e: string;
}

interface PoolKey {
  kid: string;
  use: TokenUse;
  generation: number;
  current: boolean;
  /** When it stopped being current (ms), or null. */
  retiredAt: number | null;
  publicJwk: PublicJwk;
  sealedPrivate: string;
  privateKey?: Promise<CryptoKey>;
  /** The private key for node:crypto, opened on first use. */
  signer?: KeyObject;
  /** base64url of the protected header {"kid","alg"}. */
  header?: string;
  publicKey?: Promise<CryptoKey>;
}

interface PoolKeySet {
  loadedAt: number;
  keys: PoolKey[];
}

export class SigningKeys {
  private readonly cache = new Map<string, PoolKeySet>();
  private readonly inflight = new Map<string, Promise<PoolKeySet>>();
  /** Pools forgotten so far: a read that saw this number change leaves the cache alone. */
  private forgets = 0;
  /** `${poolId}/${kid}` of kids a reload did not find -> when (ms). */
  private readonly unknownKids = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
    private readonly clock: Clock,
    private readonly workers?: CryptoWorkers,
  ) {}

  /**
   * A JWT of `payload` signed RS256 by the pool's current key of `use` (created on first use),
   * with the protected header {"kid","alg"}.
   * @example const jwt = await app.tokens.keys.sign(pool.id, 'access', claims);
   */
  async sign(poolId: string, use: TokenUse, payload: JWTPayload): Promise<string> {
    const [jwt] = await this.signAll(poolId, [{ use, payload }]);
    return jwt;
  }

  /**
   * Several JWTs at once (a response's ID and access token): on the crypto workers they travel
   * as one job, one message each way instead of one per token.
   */
  async signAll(poolId: string, tokens: { use: TokenUse; payload: JWTPayload }[]): Promise<string[]> {
    const jobs = await Promise.all(
      tokens.map(async ({ use, payload }) => {
        const k = await this.currentKey(poolId, use);
        k.signer ??= this.openPrivate(k);
        k.header ??= b64url(JSON.stringify({ kid: k.kid, alg: SIGNING_ALG }));
        for (const claim of ['iat', 'nbf', 'exp'] as const) {
          const v = payload[claim];
          if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`"${claim}" claim must be a finite number`);
        }
        return { keyId: `${poolId}/${k.kid}`, key: k.signer, data: `${k.header}.${b64url(JSON.stringify(payload))}` };
      }),
    );
    const signatures = this.workers
      ? await this.workers.signRs256(jobs)
      : await Promise.all(
          jobs.map(
            (j) =>
              new Promise<string>((resolve, reject) =>
                rsaSign('sha256', Buffer.from(j.data, 'ascii'), j.key, (err, sig) => (err ? reject(err) : resolve(sig.toString('base64url')))),
              ),
          ),
        );
    return jobs.map((j, i) => `${j.data}.${signatures[i]}`);
  }

  /**
   * Drops a deleted pool's keys from this process's cache, so its tokens stop verifying at once
   * (their rows went with the pool; other processes drop theirs within KEY_CACHE_MS).
   */
  forget(poolId: string): void {
    this.cache.delete(poolId);
    for (const create of ['c', 'r']) this.inflight.delete(`${create}:${poolId}`);
    // A read begun before the deletion must not put the keys back when it ends.
    this.forgets++;
  }

  /** The current key of a use as a WebCrypto key, creating the pool's keys on first use. */
  async signingKey(poolId: string, use: TokenUse): Promise<{ kid: string; key: CryptoKey }> {
    const k = await this.currentKey(poolId, use);
    k.privateKey ??= this.importPrivate(k);
    return { kid: k.kid, key: await k.privateKey };
  }

  private async currentKey(poolId: string, use: TokenUse): Promise<PoolKey> {
    let set = await this.keySet(poolId);
    if (!set.keys.some((x) => x.use === use)) set = await this.reload(poolId, true);
    return set.keys.find((x) => x.use === use && x.current)!;
  }

  /**
   * The public key with this `kid` while it may still verify tokens, or undefined. An unknown kid
   * reloads the pool's keys (rate-limited), so keys another process made are found. Never
   * creates keys: a pool without keys has signed nothing (and an unknown pool has none).
   */
  async verificationKey(poolId: string, kid: string): Promise<{ use: TokenUse; key: CryptoKey } | undefined> {
    const set = await this.keySet(poolId);
    let k = set.keys.find((x) => x.kid === kid);
    if (!k) {
      // A kid not seen yet (a key another process made) reloads once; the same unknown kid again
      // within RELOAD_MIN_MS does not, so made-up kids cannot turn into a read per request.
      const miss = `${poolId}/${kid}`;
      const now = this.clock.now();
      if (now - (this.unknownKids.get(miss) ?? -Infinity) < RELOAD_MIN_MS) return undefined;
      k = (await this.reload(poolId, false)).keys.find((x) => x.kid === kid);
      if (!k) {
        if (this.unknownKids.size >= MAX_UNKNOWN_KIDS) this.unknownKids.clear();
        this.unknownKids.set(miss, now);
        return undefined;
      }
    }
    if (!this.isPublished(k)) return undefined;
    k.publicKey ??= importJWK(k.publicJwk, SIGNING_ALG) as Promise<CryptoKey>;
    return { use: k.use, key: await k.publicKey };
  }

  /** The JWKS keys: the current key of each use and replaced ones whose tokens may still be live. */
  async publicKeys(poolId: string): Promise<PublicJwk[]> {
    let set = await this.keySet(poolId);
    // Published before the first sign-in, so that verifiers that fetched early know the keys.
    if (set.keys.length < USES.length) set = await this.reload(poolId, true);
    return set.keys.filter((k) => this.isPublished(k)).map((k) => k.publicJwk);
  }

  /**
   * Makes new keys current for both uses. The previous ones stay in the JWKS and keep verifying
   * the tokens they signed until those have expired. Safe to call from several processes at once:
   * concurrent calls from one starting generation produce one new generation.
   */
  async rotate(poolId: string): Promise<void> {
    const set = await this.load(poolId, true);
    const now = this.clock.now();
    for (const use of USES) {
      const current = set.keys.find((k) => k.use === use && k.current)!;
      const next = current.generation + 1;
      await this.store.signingKeys.insertIfAbsent(await this.newKeyRow(poolId, use, next, now));
      await this.store.signingKeys.retireBefore(poolId, use, next, now);
    }
    await this.load(poolId, false);
  }

  private isPublished(k: PoolKey): boolean {
    return k.current || k.retiredAt === null || this.clock.now() < k.retiredAt + MAX_JWT_LIFETIME_MS + CLOCK_SKEW_MS;
  }

  private async keySet(poolId: string): Promise<PoolKeySet> {
    const hit = this.cache.get(poolId);
    if (hit && this.clock.now() - hit.loadedAt < KEY_CACHE_MS) return hit;
    return this.reload(poolId, false);
  }

  /** Reads the pool's keys (`create`: making the missing ones); concurrent callers share one read. */
  private reload(poolId: string, create: boolean): Promise<PoolKeySet> {
    const flight = `${create ? 'c' : 'r'}:${poolId}`;
    let p = this.inflight.get(flight);
    if (!p) {
      p = this.load(poolId, create).finally(() => this.inflight.delete(flight));
      this.inflight.set(flight, p);
    }
    return p;
  }

  private async load(poolId: string, create: boolean): Promise<PoolKeySet> {
    const forgets = this.forgets;
    let rows = await this.store.signingKeys.list(poolId);
    const missing = USES.filter((use) => !rows.some((r) => r.token_use === use));
    if (create && missing.length) {
      const now = this.clock.now();
      for (const use of missing) await this.store.signingKeys.insertIfAbsent(await this.newKeyRow(poolId, use, 0, now));
      // Another process may have won the race: what is stored is what counts.
      rows = await this.store.signingKeys.list(poolId);
    }
    const old = this.cache.get(poolId);
    const set: PoolKeySet = { loadedAt: this.clock.now(), keys: toPoolKeys(rows, old) };
    if (forgets === this.forgets) this.cache.set(poolId, set);
    return set;
  }

  private async newKeyRow(poolId: string, use: TokenUse, generation: number, now: number): Promise<SigningKeyRow> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: MODULUS_BITS, extractable: true });
    const kid = randomToken(24);
    const pub = await exportJWK(publicKey);
    const priv = await exportJWK(privateKey);
    const publicJwk: PublicJwk = { kty: 'RSA', alg: SIGNING_ALG, use: 'sig', kid, n: pub.n!, e: pub.e! };
    return {
      kid,
      pool_id: poolId,
      token_use: use,
      generation,
      public_jwk: JSON.stringify(publicJwk),
      private_jwk: this.sealer.sealJson(SEAL_PURPOSE, priv),
      created_at: now,
      retired_at: null,
    };
  }

  private async importPrivate(k: PoolKey): Promise<CryptoKey> {
    return (await importJWK(this.openJwk(k), SIGNING_ALG)) as CryptoKey;
  }

  private openPrivate(k: PoolKey): KeyObject {
    return createPrivateKey({ key: this.openJwk(k) as import('node:crypto').JsonWebKey, format: 'jwk' });
  }

  private openJwk(k: PoolKey): JWK {
    const jwk = this.sealer.openJson<JWK>(SEAL_PURPOSE, k.sealedPrivate);
    if (!jwk) throw new Error(`signing key ${k.kid} cannot be opened with this master key`);
    return jwk;
  }
}

/** Rows to keys; imported CryptoKeys of an earlier load are kept (keys never change once made). */
function toPoolKeys(rows: SigningKeyRow[], old: PoolKeySet | undefined): PoolKey[] {
  const top = new Map<string, number>();
  for (const r of rows) top.set(r.token_use, Math.max(top.get(r.token_use) ?? -1, r.generation));
  return rows.map((r) => {
    const current = r.generation === top.get(r.token_use);
    // A key with a newer generation is retired even if the process that rotated it stopped
    // before marking it: then it counts from the newer key's creation.
    const successor = rows.find((x) => x.token_use === r.token_use && x.generation === r.generation + 1);
    const prev = old?.keys.find((k) => k.kid === r.kid);
    return {
      kid: r.kid,
      use: r.token_use as TokenUse,
      generation: r.generation,
      current,
      retiredAt: current ? null : (r.retired_at ?? successor?.created_at ?? null),
      publicJwk: JSON.parse(r.public_jwk) as PublicJwk,
      sealedPrivate: r.private_jwk,
      privateKey: prev?.privateKey,
      signer: prev?.signer,
      header: prev?.header,
      publicKey: prev?.publicKey,
    };
  });
}

const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
