// `npm run pack:cli`: builds the npm package of `sarufi-test` and `sarufi-sandbox` (esbuild.mjs
// --cli, into dist-cli/package/) and packs it with `npm pack` into dist-cli/. The tarball's path is
// the last line printed, for scripts and tests to pick up: `npm install "$(npm run -s pack:cli | tail -1)"`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib/paths.mjs';

const DIST_CLI = join(ROOT, 'dist-cli');

const build = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--cli'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('pack:cli: the build failed');
  process.exit(1);
}
// npm pack prints its notices on stderr and, with --json, the tarball's description on stdout.
const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', DIST_CLI], {
  cwd: join(DIST_CLI, 'package'),
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (pack.status !== 0) {
  console.error(`pack:cli: npm pack failed (exit ${pack.status ?? pack.signal})`);
  process.exit(1);
}
const [tarball] = JSON.parse(pack.stdout);
console.log(`${tarball.name}@${tarball.version}: ${tarball.entryCount} files, ${(tarball.size / 1024).toFixed(1)} KiB packed, ${(tarball.unpackedSize / 1024).toFixed(1)} KiB unpacked`);
console.log(join(DIST_CLI, tarball.filename));
