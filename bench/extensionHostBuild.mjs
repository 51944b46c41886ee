// The benches' own code for the extension host (an activation timer, a peer extension), bundled
// the way esbuild.mjs bundles the extension: CommonJS for Node 20, `vscode` left to the host.
import * as esbuild from 'esbuild';

export async function buildForExtensionHost(entry, outfile) {
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' });
}
