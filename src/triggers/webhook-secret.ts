// Each pool's webhook secret: the HMAC key of the X-Tessera-Signature header (invoke-webhook.ts).
// Made at random by whichever process needs it first, kept sealed (purpose
// 'trigger-webhook-secret') in the settings table, and shown to operators by the admin route of
// routes.ts. Rotating replaces it at once; other processes see the new one within CACHE_MS.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Store } from '../store/store.js';

const PURPOSE = 'trigger-webhook-secret';
const CACHE_MS = 30_000;
const keyOf = (poolId: string) => `triggers.webhook-secret:${poolId}`;
const newSecret = () => 'whsec_' + randomBytes(32).toString('base64url');

export class WebhookSecrets {
  private readonly cache = new Map<string, { at: number; secret: string }>();

  constructor(private readonly deps: { store: Store; sealer: Sealer; clock: Clock }) {}

  /** The pool's secret, made on first use. */
  async get(poolId: string): Promise<string> {
    const now = this.deps.clock.now();
    const hit = this.cache.get(poolId);
    if (hit && now - hit.at < CACHE_MS) return hit.secret;
    const stored = await this.deps.store.settings.setIfAbsent(keyOf(poolId), this.deps.sealer.seal(PURPOSE, newSecret()));
    const secret = this.deps.sealer.open(PURPOSE, stored)?.toString('utf8');
    if (!secret) throw new Error('the stored webhook secret cannot be opened with this master key');
    this.cache.set(poolId, { at: now, secret });
    return secret;
  }

  /** Replaces the pool's secret; returns the new one. */
  async rotate(poolId: string): Promise<string> {
    const secret = newSecret();
    await this.deps.store.settings.set(keyOf(poolId), this.deps.sealer.seal(PURPOSE, secret));
    this.cache.set(poolId, { at: this.deps.clock.now(), secret });
    return secret;
  }
}
