// GetCSVHeader: the columns of the pool's import file (src/import/csv-header.ts).
import { csvHeader } from '../../import/csv-header.js';
import type { GetCSVHeaderRequest, GetCSVHeaderResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetCSVHeaderRequest, GetCSVHeaderResponse>('idp', 'GetCSVHeader', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  return { UserPoolId: pool.id, CSVHeader: csvHeader(pool) };
});
