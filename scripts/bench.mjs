// `npm bench`: runs every bench/*.bench.mjs and bench/*.bench.ts in turn (TypeScript through tsx);
// each prints a Markdown table. Builds the production bundles first, so every bench measures what
// ships. Exits non-zero when a bench failed.
//   node scripts/bench.mjs [name-filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/paths.mjs';

const filter = process.argv[2];
const benchDir = join(ROOT, 'bench');
const benches = readdirSync(benchDir)
  .filter((file) => /\.bench\.(mjs|ts)$/.test(file) && (!filter || file.includes(filter)))
  .sort();
if (benches.length === 0) {
  console.error(`no bench matches ${filter ?? 'bench/*.bench.{mjs,ts}'}`);
  process.exit(1);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('bench: the production build failed');
  process.exit(1);
}

const failed = [];
for (const file of benches) {
  console.log(`\n## ${file}\n`);
  const args = file.endsWith('.ts') ? ['--import', 'tsx', join(benchDir, file)] : [join(benchDir, file)];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    failed.push(file);
  }
}
if (failed.length > 0) {
  console.error(`\nbench: failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
