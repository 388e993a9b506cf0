// The encrypted file of `tessera export` / `tessera import`: a stream of JSON records, one per line,
// cut into frames of about 1 MiB, each sealed with AES-256-GCM, so that neither side ever holds
// more than one frame.
//
//   file   = "TESSERA-POOL-1\n" ‖ salt (16 random bytes) ‖ frame*
//   frame  = length of the ciphertext (uint32, big-endian) ‖ ciphertext ‖ GCM tag (16 bytes)
//   key    = HKDF-SHA256(operator key, salt, "tessera pool export v1"), 32 bytes, one per file
//   nonce  = 4 zero bytes ‖ frame number (uint64, big-endian): never reused under one key
//   AAD    = frame number ‖ last-frame flag (1 on the last frame, else 0)
// The frame number in the AAD refuses reordered or dropped frames; the flag refuses a file cut
// after a whole frame. A wrong key, or any changed byte, fails the first frame it touches.
import { once } from 'node:events';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

const MAGIC = Buffer.from('TESSERA-POOL-1\n');
const SALT_BYTES = 16;
const TAG_BYTES = 16;
const FRAME_BYTES = 1024 * 1024;
/** A frame larger than this is a damaged or foreign file, not ours. */
const MAX_FRAME = 64 * 1024 * 1024;

export class ArchiveError extends Error {}

/** The operator's key: 32 bytes as hex or base64. */
export function parseKey(text: string | undefined): Buffer {
  if (!text) throw new ArchiveError('a key is needed: --key <32 bytes as hex or base64> or TESSERA_EXPORT_KEY');
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new ArchiveError('the key must be 32 bytes, as 64 hex digits or base64');
  return key;
}

const fileKey = (key: Buffer, salt: Buffer) => Buffer.from(hkdfSync('sha256', key, salt, 'tessera pool export v1', 32));

function frameParams(n: number, last: boolean) {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(n), 4);
  const aad = Buffer.alloc(9);
  aad.writeBigUInt64BE(BigInt(n), 0);
  aad[8] = last ? 1 : 0;
  return { nonce, aad };
}

/** Writes records to `out`, encrypted (see the format above). Call close() at the end. */
export class ArchiveWriter {
  private readonly key: Buffer;
  private frame = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private started = false;
  private readonly salt = randomBytes(SALT_BYTES);

  constructor(
    private readonly out: Writable,
    operatorKey: Buffer,
  ) {
    this.key = fileKey(operatorKey, this.salt);
  }

  async write(record: unknown): Promise<void> {
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FRAME_BYTES) await this.flush(false);
  }

  async close(): Promise<void> {
    await this.flush(true);
    this.out.end();
    await once(this.out, 'finish');
  }

  private async flush(last: boolean): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.put(Buffer.concat([MAGIC, this.salt]));
    }
    const plain = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const { nonce, aad } = frameParams(this.frame++, last);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(aad);
    const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(ct.length);
    await this.put(Buffer.concat([len, ct, cipher.getAuthTag()]));
  }

  private async put(buf: Buffer): Promise<void> {
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }
}

/** Reads exact byte counts from a stream. */
class ByteReader {
  private buf = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  constructor(input: Readable) {
    this.it = input[Symbol.asyncIterator]();
  }
  /** `n` bytes, or undefined at a clean end of input; ArchiveError if it ends midway. */
  async take(n: number): Promise<Buffer | undefined> {
    while (this.buf.length < n) {
      const next = await this.it.next();
      if (next.done) {
        if (this.buf.length === 0) return undefined;
        throw new ArchiveError('the file is truncated');
      }
      this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : Buffer.from(next.value);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

/** The records of an archive, in order; ArchiveError on a wrong key, a damaged or a cut file. */
export async function* readArchive(input: Readable, operatorKey: Buffer): AsyncGenerator<Record<string, unknown>> {
  const r = new ByteReader(input);
  const head = await r.take(MAGIC.length + SALT_BYTES);
  if (!head || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw new ArchiveError('not a Tessera pool export');
  const key = fileKey(operatorKey, head.subarray(MAGIC.length));
  let rest = '';
  for (let n = 0; ; n++) {
    const lenBuf = await r.take(4);
    if (!lenBuf) throw new ArchiveError('the file is truncated (no last frame)');
    const len = lenBuf.readUInt32BE(0);
    if (len > MAX_FRAME) throw new ArchiveError('the file is damaged (frame too large)');
    const body = await r.take(len + TAG_BYTES);
    if (!body) throw new ArchiveError('the file is truncated');
    const plain = openFrame(key, n, body, len);
    rest += plain.plain.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line) yield JSON.parse(line);
    if (plain.last) {
      if (rest || (await r.take(1))) throw new ArchiveError('the file has data after its last frame');
      return;
    }
  }
}

function openFrame(key: Buffer, n: number, body: Buffer, len: number): { plain: Buffer; last: boolean } {
  for (const last of [false, true]) {
    const { nonce, aad } = frameParams(n, last);
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAAD(aad);
    d.setAuthTag(body.subarray(len));
    try {
      return { plain: Buffer.concat([d.update(body.subarray(0, len)), d.final()]), last };
    } catch {
      // try the other flag, then give up
    }
  }
  throw new ArchiveError(n === 0 ? 'cannot decrypt the file: wrong key, or the file is damaged' : `the file is damaged (frame ${n})`);
}
