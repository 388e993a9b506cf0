// bench/RESULTS.md: the latest report of each bench, in its own section, replaced on each run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('../RESULTS.md', import.meta.url);
const HEADER = '# Benchmark results\n\nWritten by `npm run bench -- <name>`; each section is the latest run of that bench.\n';

export async function writeResults(name: string, report: string): Promise<void> {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const section = `${begin}\n${report.trim()}\n${end}`;
  const at = text.indexOf(begin);
  const stop = text.indexOf(end);
  text = at >= 0 && stop > at ? text.slice(0, at) + section + text.slice(stop + end.length) : text.trimEnd() + '\n\n' + section + '\n';
  writeFileSync(FILE, text);
}
