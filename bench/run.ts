// `npm run bench -- <name> [flags]`: runs bench/<name>.ts with the flags.
//   userpool        AdminGetUser / ListUsers at 10 k and 1 M users, SignUp, on SQLite and PostgreSQL
//   signin          RS256 baseline, refresh, SRP and password sign-ins, GetUser and its p99 under load
//   auth-srp-load   SRP sign-ins on the worker pool vs on the event loop
//   triggers        sign-ins with a no-op PreTokenGeneration (Lambda endpoint, webhook) vs none
//   profile         where one sign-in path's CPU goes: per thread, PostgreSQL, statements, a CPU profile
import { readdirSync } from 'node:fs';

const name = process.argv[2];
const known = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts').map((f) => f.slice(0, -3));
if (!name || !known.includes(name)) {
  console.error(`usage: npm run bench -- <${known.join('|')}> [flags]`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(`./${name}.ts`);
