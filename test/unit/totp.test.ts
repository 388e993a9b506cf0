// TOTP against the published vectors (RFC 4226 Appendix D, RFC 6238 Appendix B, SHA-1, taking
// the last six of the eight digits) and the window and step rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Decode, base32Encode, hotp, matchTotp, newTotpSecret, stepAt, totpAt } from '../../src/auth/totp.js';

const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const RFC_SECRET = base32Encode(RFC_KEY);

test('HOTP gives RFC 4226 Appendix D values', () => {
  const want = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  want.forEach((code, counter) => assert.equal(hotp(RFC_KEY, counter), code));
});

test('TOTP gives RFC 6238 Appendix B values (SHA-1, six digits)', () => {
  const vectors: [number, string][] = [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ];
  for (const [seconds, code] of vectors) assert.equal(totpAt(RFC_SECRET, seconds * 1000), code, `T=${seconds}`);
});

test('base32 round-trips and forgives case, spaces and padding', () => {
  assert.equal(RFC_SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.deepEqual(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq=='), RFC_KEY);
  const s = newTotpSecret();
  assert.match(s, /^[A-Z2-7]{32}$/);
  assert.equal(base32Encode(base32Decode(s)), s);
});

test('a code matches its own step and one step either side, not two', () => {
  const at = 1_700_000_015_000;
  const step = stepAt(at);
  for (const delta of [-1, 0, 1]) {
    const code = hotp(RFC_KEY, step + delta);
    assert.equal(matchTotp(RFC_SECRET, code, at), step + delta);
  }
  for (const delta of [-2, 2]) {
    const code = hotp(RFC_KEY, step + delta);
    const m = matchTotp(RFC_SECRET, code, at);
    // (A code of a step two away could equal a neighbour's by chance; it then names that step.)
    assert.ok(m === undefined || Math.abs(m - step) <= 1);
  }
});

test('anything but six digits never matches', () => {
  const at = 1_700_000_000_000;
  const code = totpAt(RFC_SECRET, at);
  for (const bad of ['', code.slice(1), `${code}0`, ` ${code}`, 'abcdef', `${code.slice(0, 5)}x`]) {
    assert.equal(matchTotp(RFC_SECRET, bad, at), undefined, JSON.stringify(bad));
  }
});
