// Modular exponentiation modulo SRP's 3072-bit N, off the event loop. One SRP sign-in costs three
// exponentiations of about 1-1.4 ms each on a 2-core test machine (the B of InitiateAuth, then
// v^u and the S of the answer: ~4 ms in all); run on the loop they would hold every other request
// up for that long per sign-in (bench/auth-srp-load.ts compares both). A few worker threads run them instead,
// each with OpenSSL's Diffie-Hellman (computeSecret is base^privateKey mod N), so the loop only
// does BigInt glue and hashing.
//
// The workers are plain CommonJS evaluated from a string: no loader, no build step, and nothing
// but node:crypto inside. They start on first use and are ended by close().
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { N, fromHex } from '../crypto/srp.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDiffieHellman } = require('node:crypto');
const dh = createDiffieHellman(Buffer.from(workerData.n, 'hex'), Buffer.from([2]));
const bytes = (hex) => Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
parentPort.on('message', ({ id, base, exp }) => {
  try {
    dh.setPrivateKey(bytes(exp));
    let out;
    if (base === null) { dh.generateKeys(); out = dh.getPublicKey('hex'); }
    else out = dh.computeSecret(bytes(base)).toString('hex');
    parentPort.postMessage({ id, out });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

interface Job {
  resolve(v: bigint): void;
  reject(e: Error): void;
  slot: Slot;
}
interface Slot {
  worker: Worker;
  pending: number;
}

/** Default size: one thread per core but one (the loop keeps a core), at least one, at most four. */
export const defaultWorkerCount = (): number => Math.max(1, Math.min(4, availableParallelism() - 1));

export class ModPowPool {
  private slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly size = defaultWorkerCount()) {}

  /** g^exp mod N. */
  powG(exp: bigint): Promise<bigint> {
    return this.run(null, exp);
  }

  /** base^exp mod N (base reduced mod N first). */
  modPow(base: bigint, exp: bigint): Promise<bigint> {
    return this.run((base % N).toString(16), exp);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private run(base: string | null, exp: bigint): Promise<bigint> {
    if (this.closed) return Promise.reject(new Error('the SRP worker pool is closed'));
    const slot = this.leastBusy();
    const id = this.nextId++;
    return new Promise<bigint>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, slot });
      slot.pending++;
      slot.worker.postMessage({ id, base, exp: exp.toString(16) });
    });
  }

  private leastBusy(): Slot {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    return this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { n: N.toString(16) }, execArgv: [] });
    worker.unref();
    const slot: Slot = { worker, pending: 0 };
    worker.on('message', (m: { id: number; out?: string; error?: string }) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      this.jobs.delete(m.id);
      slot.pending--;
      if (m.error !== undefined) job.reject(new Error(m.error));
      else job.resolve(fromHex(m.out || '0'));
    });
    worker.on('error', (e) => this.fail(slot, e));
    worker.on('exit', () => this.fail(slot, new Error('SRP worker exited')));
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
