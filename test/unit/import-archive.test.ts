// The encrypted pool file of `tessera export` (src/cli/archive.ts): records come back in order
// across several frames; a wrong key, a changed byte, a file cut at a frame boundary or in the
// middle of one are refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import { ArchiveError, ArchiveWriter, parseKey, readArchive } from '../../src/cli/archive.js';

const key = randomBytes(32);

async function written(records: unknown[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const w = new ArchiveWriter(out, key);
  for (const r of records) await w.write(r);
  await w.close();
  return Buffer.concat(chunks);
}

async function read(file: Buffer, k = key): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of readArchive(Readable.from([file]), k)) out.push(r);
  return out;
}

// About 3 MiB of records: several frames.
const records = Array.from({ length: 3000 }, (_, i) => ({ t: 'user', i, pad: 'x'.repeat(1000) }));

test('records come back in order across frames', async () => {
  const file = await written(records);
  assert.ok(file.length > 3_000_000);
  assert.deepEqual(await read(file), records);
});

test('a wrong key, a changed byte or a cut file is refused', async () => {
  const file = await written(records);
  await assert.rejects(read(file, randomBytes(32)), /wrong key/);
  const changed = Buffer.from(file);
  changed[changed.length - 100]! ^= 1;
  await assert.rejects(read(changed), ArchiveError);
  await assert.rejects(read(file.subarray(0, file.length - 10)), /truncated/);
  // Cut right after the first frame: every frame there is whole, but the last one is missing.
  const firstFrameEnd = 15 + 16 + 4 + file.readUInt32BE(31) + 16;
  await assert.rejects(read(file.subarray(0, firstFrameEnd)), /truncated/);
});

test('keys are 32 bytes, hex or base64', () => {
  assert.equal(parseKey('00'.repeat(32)).length, 32);
  assert.equal(parseKey(randomBytes(32).toString('base64')).length, 32);
  assert.throws(() => parseKey('abc'), /32 bytes/);
  assert.throws(() => parseKey(undefined), /key is needed/);
});
