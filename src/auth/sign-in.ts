// app.auth: what sign-in keeps per process. The flows themselves are functions of a FlowContext
// (flows.ts); this holds the crypto worker pool (SRP's exponentiations), the lockout limits, and the
// key that unknown users' stand-ins are derived from.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Store } from '../store/store.js';
import { DEFAULT_LIMITS, type SignInLimits } from './lockout.js';
import { CryptoWorkers } from '../crypto/workers.js';

const STAND_IN_KEY_SETTING = 'auth.stand-in-key';
const STAND_IN_KEY_PURPOSE = 'auth-stand-in-key';

export class SignIn {
  readonly modPow: CryptoWorkers;
  /** Lockout and rate-limit thresholds (tests may lower them). */
  readonly limits: SignInLimits = { ...DEFAULT_LIMITS };
  private standIn?: Promise<Buffer>;
  private lastPruneAt = 0;

  constructor(private readonly deps: { store: Store; clock: Clock; sealer: Sealer; log: Logger; workers?: CryptoWorkers }) {
    this.modPow = deps.workers ?? new CryptoWorkers();
  }

  /**
   * The stand-in key: random, made by whichever process needs it first, kept sealed in the
   * settings table so every process over the store derives the same stand-ins.
   */
  standInKey(): Promise<Buffer> {
    this.standIn ??= this.loadStandInKey().catch((e) => {
      this.standIn = undefined;
      throw e;
    });
    return this.standIn;
  }

  private async loadStandInKey(): Promise<Buffer> {
    const fresh = this.deps.sealer.seal(STAND_IN_KEY_PURPOSE, randomBytes(32));
    const stored = await this.deps.store.settings.setIfAbsent(STAND_IN_KEY_SETTING, fresh);
    const key = this.deps.sealer.open(STAND_IN_KEY_PURPOSE, stored);
    if (!key) throw new Error('the stored stand-in key cannot be opened with this master key');
    return key;
  }

  /** True at most once per `everyMs` in this process: time to forget stale counters. */
  shouldPrune(now: number, everyMs: number): boolean {
    if (now - this.lastPruneAt < everyMs) return false;
    this.lastPruneAt = now;
    return true;
  }

  async close(): Promise<void> {
    await this.modPow.close();
  }
}
