// `npm run tessera -- <command>`: operator commands run against the same configuration and store
// as the server (TESSERA_DATA_DIR / TESSERA_DATABASE_URL, TESSERA_MASTER_KEY, ...).
//   export --pool <id> --out <file> [--key <key>]   one user pool, encrypted under the key
//   import --in <file> [--key <key>]                 into this Tessera (the pool must not exist)
// The key is 32 bytes as hex or base64, from --key or TESSERA_EXPORT_KEY (the environment keeps
// it out of the shell history and the process list). Progress goes to stderr; the summary to
// stdout. Exit codes: 0 done, 1 failed, 2 bad usage or configuration.
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/index.js';
import { ArchiveError, ArchiveWriter, parseKey, readArchive } from './archive.js';
import type { Progress } from './pool-copy.js';

const USAGE = `usage:
  npm run tessera -- export --pool <user pool id> --out <file> [--key <32 bytes hex|base64>]
  npm run tessera -- import --in <file> [--key <32 bytes hex|base64>]
The key may come from TESSERA_EXPORT_KEY instead of --key.`;

class UsageError extends Error {}

/** Progress lines on stderr, at most one every two seconds (and the last one). */
function progressOnStderr(verb: string): Progress & { end(): void } {
  let last = 0;
  let line = '';
  const f = ((what: string, done: number, total?: number) => {
    line = `${verb}: ${done}${total ? `/${total}` : ''} ${what}${total ? ` (${Math.floor((done / Math.max(total, 1)) * 100)}%)` : ''}`;
    if (Date.now() - last >= 2000) {
      last = Date.now();
      process.stderr.write(line + '\n');
    }
  }) as Progress & { end(): void };
  f.end = () => line && process.stderr.write(line + '\n');
  return f;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { pool: { type: 'string' }, out: { type: 'string' }, in: { type: 'string' }, key: { type: 'string' } } });
  if (command !== 'export' && command !== 'import') throw new UsageError(`unknown command ${command ?? '(none)'}`);
  const key = parseKey(values.key ?? process.env.TESSERA_EXPORT_KEY);
  const config = loadConfig();
  if (!process.env.TESSERA_LOG_LEVEL) config.logLevel = 'warn';
  const { createApp } = await import('../app.js');
  const { exportPool, importPool } = await import('./pool-copy.js');
  const app = await createApp(config);
  try {
    if (command === 'export') {
      if (!values.pool || !values.out) throw new UsageError('export needs --pool and --out');
      // Written beside the target and renamed at the end: a failed export leaves no partial file.
      const partial = `${values.out}.partial`;
      const progress = progressOnStderr('export');
      try {
        const writer = new ArchiveWriter(createWriteStream(partial, { mode: 0o600 }), key);
        const counts = await exportPool(app, values.pool, writer, progress);
        await writer.close();
        renameSync(partial, values.out);
        progress.end();
        process.stdout.write(`exported ${values.pool}: ${counts.users} users, ${counts.groups} groups, ${counts.members} memberships, ${counts.clients} app clients\n`);
        if (counts.droppedFields) process.stderr.write(`warning: ${counts.droppedFields} sealed per-user fields of unknown purpose were left out\n`);
      } catch (e) {
        rmSync(partial, { force: true });
        throw e;
      }
    } else {
      if (!values.in) throw new UsageError('import needs --in');
      const progress = progressOnStderr('import');
      const { poolId, counts } = await importPool(app, readArchive(createReadStream(values.in), key), progress);
      progress.end();
      process.stdout.write(`imported ${poolId}: ${counts.users} users, ${counts.groups} groups, ${counts.members} memberships, ${counts.clients} app clients\n`);
    }
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    const usage = e instanceof UsageError || e instanceof ConfigError || (e instanceof ArchiveError && /key/.test(e.message) && !/decrypt/.test(e.message));
    process.stderr.write(`tessera: ${e instanceof Error ? e.message : String(e)}\n${e instanceof UsageError ? USAGE + '\n' : ''}`);
    process.exit(usage ? 2 : 1);
  },
);
