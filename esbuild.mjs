// One build script, one bundle per runtime: the extension host (Node, CJS, `vscode` external)
// and the webview (browser, ESM). `--production` minifies for packaging; `--watch` rebuilds.
// `--cli` builds the npm package of the command-line tools instead (dist-cli/package/, see
// cli-package/README.md): `npm run pack:cli` runs it and packs the result.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const cli = process.argv.includes('--cli');

/** Prints errors in the `file:line:col: error: text` shape that VS Code's esbuild problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

const shared = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

/**
 * The bundles the extension loads on first use: each file of src/lazy/ (pure code) and of
 * src/host/lazy/ (code that talks to VS Code, e.g. the flow graph's panel) becomes dist/<name>.js.
 * esbuild cannot split a CommonJS bundle, so the extension's `import('../lazy/x.js')` is marked
 * external and, with dynamic import turned off below, comes out as `require('./x.js')`: the
 * extension host loads it synchronously from beside dist/extension.js, as it loads the extension.
 */
const LAZY_DIRS = ['src/lazy', 'src/host/lazy'];
const lazyBundles = LAZY_DIRS.flatMap((dir) => readdirSync(dir).filter((file) => file.endsWith('.ts')).map((file) => `${dir}/${file}`));

const lazyImports = {
  name: 'lazy-imports',
  setup(build) {
    build.onResolve({ filter: /\/lazy\/[^/]+\.js$/ }, (args) => {
      if (!LAZY_DIRS.some((dir) => dirname(resolve(args.resolveDir, args.path)) === resolve(dir))) {
        return undefined;
      }
      if (args.kind !== 'dynamic-import') {
        // A static import would put the lazy code (and its dependencies) back into the main bundle.
        return { errors: [{ text: `${args.path} is loaded on first use: import it with import(), not statically` }] };
      }
      return { path: `./${basename(args.path)}`, external: true };
    });
  },
};

/**
 * `import source from 'inline-worker:./x'` bundles x.ts on its own (with its dependencies) and
 * imports the result as text: the flow graph starts its layout worker from a blob of it, since a
 * webview cannot start a worker from its resource origin, and nothing is fetched.
 */
const inlineWorker = {
  name: 'inline-worker',
  setup(build) {
    build.onResolve({ filter: /^inline-worker:/ }, (args) => ({
      path: resolve(args.resolveDir, `${args.path.slice('inline-worker:'.length)}.ts`),
      namespace: 'inline-worker',
    }));
    build.onLoad({ filter: /.*/, namespace: 'inline-worker' }, async (args) => {
      const result = await esbuild.build({ entryPoints: [args.path], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', minify: production, metafile: true, logLevel: 'silent' });
      return { contents: result.outputFiles[0].text, loader: 'text', watchFiles: Object.keys(result.metafile?.inputs ?? {}) };
    });
  },
};

const node = {
  ...shared,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  alias: {
    // jsonc-parser's `main` is a UMD build whose dynamic require()s esbuild cannot follow.
    'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js',
    // ofetch's Node entry wraps fetch in node-fetch-native (114 KiB), a polyfill for Node versions
    // without fetch; its platform-neutral entry uses the global fetch that Node 20 has.
    ofetch: './node_modules/ofetch/dist/index.mjs',
  },
};

const builds = [
  {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    supported: { 'dynamic-import': false },
    plugins: [...shared.plugins, lazyImports],
  },
  ...lazyBundles.map((file) => ({ ...node, entryPoints: [file], outfile: `dist/${basename(file, '.ts')}.js` })),
  {
    // The sandbox runs beside the extension host, in its own process (sandbox.js) whose turns run
    // in worker threads (sandbox-turns.js): src/sandbox/sandboxProcess.ts forks it. sandbox-regex.js
    // is the worker that runs flows' and tests' regexes for the editor and the CLI (regexBudget.ts).
    ...shared,
    // A debugged conversation runs in a worker of its own (sandbox-debug.js): debugConversation.ts starts it.
    entryPoints: { sandbox: 'src/sandbox/cli.ts', 'sandbox-turns': 'src/sandbox/turnWorker.ts', 'sandbox-debug': 'src/sandbox/debugWorker.ts', 'sandbox-regex': 'src/sandbox/regexWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The flow debugger for DAP clients other than VS Code: `node dist/flowDebugAdapter.js` speaks DAP over stdio.
    ...node,
    entryPoints: { flowDebugAdapter: 'src/debug/stdioAdapter.ts' },
    outdir: 'dist',
  },
  {
    // The pages: the chat panel's, and the flow graph's (its layout worker, dagre, comes inside it as text).
    ...shared,
    entryPoints: { chat: 'webview/chat/main.ts', graph: 'webview/graph/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.css': 'css' },
    plugins: [...shared.plugins, inlineWorker],
  },
];

/** Where `--cli` assembles the npm package: its manifest, README and licence, and dist/ of bundles. */
const CLI_PACKAGE_DIR = 'dist-cli/package';

/**
 * The npm package of `sarufi-test` and `sarufi-sandbox`: the same sources as the extension,
 * bundled with everything they use, so that the package has no dependencies of its own. Nothing
 * may import `vscode` here: it is not external, so such an import fails the build. The bundles sit
 * together in dist/, where src/sandbox/bundlePaths.ts finds the sandbox's process and its turn
 * and regex workers beside the bundle that starts them. `sarufi-sandbox` is dist/sandbox.js itself, the
 * process that `sarufi-test` forks, so the package holds that code once.
 */
const cliBuilds = [
  {
    ...node,
    entryPoints: { 'sarufi-test': 'src/cli/sarufiTestEntry.ts', sandbox: 'src/sandbox/cli.ts' },
    banner: { js: '#!/usr/bin/env node' },
  },
  // The regex worker runs the tests' and flows' regexes outside a turn (src/sandbox/regexBudget.ts).
  { ...node, entryPoints: { 'sandbox-turns': 'src/sandbox/turnWorker.ts', 'sandbox-regex': 'src/sandbox/regexWorker.ts' } },
].map((options) => ({ ...options, external: [], outdir: `${CLI_PACKAGE_DIR}/dist`, sourcemap: false }));

/** The package's manifest: cli-package/package.template.json with the extension's version. */
function writeCliPackageFiles() {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const template = JSON.parse(readFileSync('cli-package/package.template.json', 'utf8'));
  writeFileSync(`${CLI_PACKAGE_DIR}/package.json`, `${JSON.stringify({ ...template, version }, null, 2)}\n`);
  copyFileSync('cli-package/README.md', `${CLI_PACKAGE_DIR}/README.md`);
  copyFileSync('LICENSE', `${CLI_PACKAGE_DIR}/LICENSE`);
}

if (cli) {
  // From empty, so that a bundle renamed or dropped since the last build is not packed.
  rmSync(CLI_PACKAGE_DIR, { recursive: true, force: true });
  mkdirSync(`${CLI_PACKAGE_DIR}/dist`, { recursive: true });
  writeCliPackageFiles();
}

// The flow schema ships beside the bundle: package.json's jsonValidation points at it, and the
// package holds dist/ only.
if (!cli) {
  mkdirSync('dist', { recursive: true });
  copyFileSync('src/flow/flow.schema.json', 'dist/flow.schema.json');
  // The conversation test schema, for package.json's yamlValidation (read by the Red Hat YAML extension).
  copyFileSync('src/conversationTests/sarufi-test.schema.json', 'dist/sarufi-test.schema.json');
}

const selected = cli ? cliBuilds : builds;
if (watch) {
  const contexts = await Promise.all(selected.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  // Every bundle is attempted, so one broken runtime does not hide the other's errors.
  const results = await Promise.allSettled(selected.map((options) => esbuild.build(options)));
  if (results.some((result) => result.status === 'rejected')) {
    process.exitCode = 1;
  }
}
