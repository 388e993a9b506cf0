// The cryptography of sign-ins, off the event loop: SRP's modular exponentiations modulo the
// 3072-bit N and the RS256 signatures of tokens. One SRP sign-in costs three exponentiations of
// about 0.5-1.4 ms each (the B of InitiateAuth, then v^u and the S of the answer) and every token
// response two signatures of about 0.25 ms; run on the loop they would hold every other request up
// for that long (bench/auth-srp-load.ts compares both). A few worker threads run them instead,
// with OpenSSL (Diffie-Hellman's computeSecret is base^privateKey mod N; `sign` is RSASSA-PKCS1-v1_5),
// so the loop only does BigInt glue, hashing and JSON.
//
// The workers lower their own scheduling priority (nice 10, Linux: per thread) once started. The
// event loop is the one thread every request passes through; when the cores are busy it should
// not wait behind a signature. The workers take whatever CPU the loop leaves, which under load is
// nearly all of it, and a cheap request (GetUser) is answered in between.
//
// The workers are plain CommonJS evaluated from a string: no loader, no build step, and nothing
// but node:crypto inside. They start on first use and are ended by close(). A signing key is sent
// to a worker once (KeyObjects cross threads by postMessage) and kept there by its id.
import { availableParallelism } from 'node:os';
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { N, fromHex } from './srp.js';

/** Nice value of the worker threads (0 = the loop's, 19 = the lowest). */
const WORKER_NICE = 10;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDiffieHellman, sign } = require('node:crypto');
try {
  // This thread's id (Linux): /proc/thread-self -> <pid>/task/<tid>; setpriority on a tid is per thread.
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, workerData.nice);
} catch {}
const dh = createDiffieHellman(Buffer.from(workerData.n, 'hex'), Buffer.from([2]));
const N = BigInt('0x' + workerData.n);
const bytes = (hex) => Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
const keys = new Map();
parentPort.on('message', (m) => {
  try {
    let out;
    if (m.sign !== undefined) {
      if (m.keys) for (const [id, key] of Object.entries(m.keys)) keys.set(id, key);
      out = m.sign.map((j) => {
        const key = keys.get(j.keyId);
        if (!key) throw new Error('unknown signing key');
        return sign('sha256', Buffer.from(j.data, 'latin1'), key).toString('base64url');
      }).join(' ');
    } else if (m.srp !== undefined) {
      // S = (A * v^u mod N)^b mod N: both exponentiations of a PASSWORD_VERIFIER answer in one job.
      dh.setPrivateKey(bytes(m.srp.u));
      const vu = BigInt('0x' + dh.computeSecret(bytes(m.srp.v)).toString('hex'));
      const base = (BigInt('0x' + m.srp.A) * vu) % N;
      dh.setPrivateKey(bytes(m.srp.b));
      out = dh.computeSecret(bytes(base.toString(16))).toString('hex');
    } else {
      dh.setPrivateKey(bytes(m.exp));
      if (m.base === null) { dh.generateKeys(); out = dh.getPublicKey('hex'); }
      else out = dh.computeSecret(bytes(m.base)).toString('hex');
    }
    parentPort.postMessage({ id: m.id, out });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;

interface Job {
  resolve(v: string): void;
  reject(e: Error): void;
  slot: Slot;
}
interface Slot {
  worker: Worker;
  pending: number;
  /** Ids of the signing keys this worker holds. */
  keys: Set<string>;
}

/** Default size: one thread per core, at least one, at most four. */
export const defaultWorkerCount = (): number => Math.max(1, Math.min(4, availableParallelism()));

export class CryptoWorkers {
  private slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly size = defaultWorkerCount()) {}

  /** g^exp mod N. */
  async powG(exp: bigint): Promise<bigint> {
    return fromHex((await this.run({ base: null, exp: exp.toString(16) })) || '0');
  }

  /** base^exp mod N (base reduced mod N first). */
  async modPow(base: bigint, exp: bigint): Promise<bigint> {
    return fromHex((await this.run({ base: (base % N).toString(16), exp: exp.toString(16) })) || '0');
  }

  /** SRP's premaster secret S = (A · v^u mod N)^b mod N, both exponentiations in one job. */
  async srpSecret(A: bigint, v: bigint, u: bigint, b: bigint): Promise<bigint> {
    const srp = { A: A.toString(16), v: (v % N).toString(16), u: u.toString(16), b: b.toString(16) };
    return fromHex((await this.run({ srp })) || '0');
  }

  /**
   * RS256 signatures (base64url) of JWS signing inputs (ASCII), as one job on one worker. Each
   * private key is named for good by its `keyId`: a worker is sent a key with its first job for it.
   */
  async signRs256(jobs: { keyId: string; key: KeyObject; data: string }[]): Promise<string[]> {
    let fresh: string[] = [];
    const out = await this.run(
      { sign: jobs.map((j) => ({ keyId: j.keyId, data: j.data })) },
      (slot) => {
        fresh = jobs.filter((j) => !slot.keys.has(j.keyId)).map((j) => j.keyId);
        return fresh.length ? Object.fromEntries(jobs.filter((j) => fresh.includes(j.keyId)).map((j) => [j.keyId, j.key])) : undefined;
      },
      // Marked as held once the message (with the keys) is on its way.
      (slot) => fresh.forEach((id) => slot.keys.add(id)),
    );
    return out.split(' ');
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private run(
    message: Record<string, unknown>,
    keysFor?: (slot: Slot) => Record<string, KeyObject> | undefined,
    sent?: (slot: Slot) => void,
  ): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the crypto worker pool is closed'));
    const slot = this.leastBusy();
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const keys = keysFor?.(slot);
      try {
        slot.worker.postMessage(keys ? { ...message, id, keys } : { ...message, id });
      } catch (e) {
        reject(e as Error);
        return;
      }
      this.jobs.set(id, { resolve, reject, slot });
      slot.pending++;
      sent?.(slot);
    });
  }

  private leastBusy(): Slot {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    return this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { n: N.toString(16), nice: WORKER_NICE }, execArgv: [] });
    worker.unref();
    const slot: Slot = { worker, pending: 0, keys: new Set() };
    worker.on('message', (m: { id: number; out?: string; error?: string }) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      this.jobs.delete(m.id);
      slot.pending--;
      if (m.error !== undefined) job.reject(new Error(m.error));
      else job.resolve(m.out ?? '');
    });
    worker.on('error', (e) => this.fail(slot, e));
    worker.on('exit', () => this.fail(slot, new Error('crypto worker exited')));
    return slot;
  }

  /** A worker died: its jobs fail, and the next job starts a replacement. */
  private fail(slot: Slot, e: Error): void {
    this.slots = this.slots.filter((s) => s !== slot);
    for (const [id, job] of this.jobs) {
      if (job.slot !== slot) continue;
      this.jobs.delete(id);
      job.reject(e);
    }
  }
}
