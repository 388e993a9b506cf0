// Assertions shared by the pool and client tests.
import assert from 'node:assert/strict';

/** Awaits `p` and checks it fails with the exception `name` (and a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}
