// What the machine's cores can do for the cryptography a sign-in needs, measured with two worker
// threads (both cores) for a few seconds each:
//   rs256   RS256 signatures (RSA-2048, PKCS#1 v1.5, SHA-256) over a token-sized payload
//   srp     the server's SRP arithmetic for one sign-in: g^b, v^u, (A·v^u)^b mod the 3072-bit N
//           (256-bit exponents, as src/auth/srp-server.ts)
//   verify  one USER_PASSWORD_AUTH check: g^x mod N (x: 256 bits)
//   client  the SRP client's exponentiation: (B − k·g^x)^(a + u·x) mod N (a: 256 bits)
// The workers are plain CommonJS evaluated from a string, using node:crypto only (OpenSSL: the
// same code Tessera's WebCrypto signatures and Diffie-Hellman exponentiations end in).
import { Worker } from 'node:worker_threads';
import { N } from '../../src/crypto/srp.js';

export type CryptoUnit = 'rs256' | 'srp' | 'verify' | 'client';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDiffieHellman, generateKeyPairSync, randomBytes, sign } = require('node:crypto');
const N = Buffer.from(workerData.n, 'hex');
const dh = createDiffieHellman(N, Buffer.from([2]));
const rnd = (n) => randomBytes(n);
function modPow(base, exp) { dh.setPrivateKey(exp); return dh.computeSecret(base); }
function powG(exp) { dh.setPrivateKey(exp); dh.generateKeys(); return dh.getPublicKey(); }
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const payload = Buffer.from('eyJraWQiOiJ4IiwiYWxnIjoiUlMyNTYifQ.' + rnd(600).toString('base64url'));
const base = powG(rnd(32));
const units = {
  rs256: () => sign('sha256', payload, privateKey),
  srp: () => { const b = rnd(32); powG(b); const vu = modPow(base, rnd(32)); modPow(vu, b); },
  verify: () => powG(rnd(32)),
  client: () => modPow(base, rnd(64)),
};
const run = units[workerData.unit];
for (let i = 0; i < 3; i++) run();
parentPort.postMessage('ready');
parentPort.once('message', () => {
  let n = 0;
  const start = performance.now();
  const until = start + workerData.ms;
  while (performance.now() < until) { run(); n++; }
  parentPort.postMessage({ n, ms: performance.now() - start });
});
`;

export interface Rate {
  /** Units per second over the threads (wall clock). */
  perSecond: number;
  /** CPU time per unit, ms (this process's CPU time over the run: run it while nothing else works here). */
  cpuMs: number;
}

/** Units per second over `threads` worker threads running for `seconds`, and CPU time per unit. */
export async function cryptoRate(unit: CryptoUnit, seconds: number, threads = 2): Promise<Rate> {
  // Key generation and warm-up first; the clock and the CPU count start when every thread is ready.
  const workers = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<Worker>((resolve, reject) => {
          const w = new Worker(SOURCE, { eval: true, workerData: { unit, ms: seconds * 1000, n: N.toString(16) } });
          w.once('message', () => resolve(w));
          w.once('error', reject);
        }),
    ),
  );
  const before = process.cpuUsage();
  const runs = await Promise.all(
    workers.map(
      (w) =>
        new Promise<{ n: number; ms: number }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.postMessage('go');
        }),
    ),
  );
  const used = process.cpuUsage(before);
  await Promise.all(workers.map((w) => w.terminate()));
  const n = runs.reduce((s, r) => s + r.n, 0);
  return { perSecond: runs.reduce((s, r) => s + r.n / (r.ms / 1000), 0), cpuMs: (used.user + used.system) / 1000 / n };
}

export interface CryptoBaseline {
  rs256: Rate;
  srp: Rate;
  verify: Rate;
  client: Rate;
}

export async function cryptoBaseline(seconds: number): Promise<CryptoBaseline> {
  return {
    rs256: await cryptoRate('rs256', seconds),
    srp: await cryptoRate('srp', seconds),
    verify: await cryptoRate('verify', seconds),
    client: await cryptoRate('client', seconds),
  };
}
