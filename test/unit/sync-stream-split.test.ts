// Cognito Streams records larger than one Kinesis record (1 MiB) are spread over several records
// with the same envelope (src/sync/publish.ts splitRecord): none too large, nothing lost or doubled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitRecord, type StreamRecord } from '../../src/sync/publish.js';

const envelope = (records: StreamRecord['kinesisSyncRecords']): StreamRecord => ({
  identityPoolId: 'us-east-1:11111111-2222-3333-4444-555555555555',
  identityId: 'us-east-1:66666666-7777-8888-9999-000000000000',
  dataSetName: 'big',
  operation: 'replace',
  kinesisSyncRecords: records,
  lastModifiedDate: 1_700_000_000_000,
  kinesisSyncRecordsURL: null,
  payloadType: 'Inline',
  syncCount: 7,
});
const rec = (key: string, size: number) => ({ key, value: 'é'.repeat(size / 2), syncCount: 7, lastModifiedDate: 1, deviceLastModifiedDate: null, op: 'replace' as const });

test('a record that fits goes as it is', () => {
  const r = envelope([rec('a', 1000), rec('b', 1000)]);
  assert.deepEqual(splitRecord(r), [r]);
});

test('a record past the limit is split into parts that each fit, in order, with the same envelope', () => {
  const records = Array.from({ length: 9 }, (_, i) => rec(`k${i}`, 300_000));
  const parts = splitRecord(envelope(records));
  assert.ok(parts.length >= 3, `${parts.length} parts`);
  for (const p of parts) {
    assert.ok(Buffer.byteLength(JSON.stringify(p), 'utf8') <= 1_000_000);
    assert.deepEqual({ ...p, kinesisSyncRecords: [] }, envelope([]));
    assert.ok(p.kinesisSyncRecords.length > 0);
  }
  assert.deepEqual(parts.flatMap((p) => p.kinesisSyncRecords), records);
});
