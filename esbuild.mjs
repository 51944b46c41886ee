// One build script, one bundle per runtime: the extension host (Node, CJS, `vscode` external)
// and the webview (browser, ESM). `--production` minifies for packaging; `--watch` rebuilds.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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
 * The bundles the extension loads on first use: each file of src/lazy/ becomes dist/<name>.js.
 * esbuild cannot split a CommonJS bundle, so the extension's `import('../lazy/x.js')` is marked
 * external and, with dynamic import turned off below, comes out as `require('./x.js')`: the
 * extension host loads it synchronously from beside dist/extension.js, as it loads the extension.
 */
const LAZY_DIR = resolve('src/lazy');
const lazyBundles = readdirSync(LAZY_DIR).filter((file) => file.endsWith('.ts'));

const lazyImports = {
  name: 'lazy-imports',
  setup(build) {
    build.onResolve({ filter: /\/lazy\/[^/]+\.js$/ }, (args) => {
      if (dirname(resolve(args.resolveDir, args.path)) !== LAZY_DIR) {
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
  ...lazyBundles.map((file) => ({ ...node, entryPoints: [`src/lazy/${file}`], outfile: `dist/${basename(file, '.ts')}.js` })),
  {
    // The sandbox runs beside the extension host, in its own process (sandbox.js) whose turns run
    // in worker threads (sandbox-turns.js): src/sandbox/sandboxProcess.ts forks it. sandbox-regex.js
    // is the worker that runs flows' and tests' regexes for the editor and the CLI (regexBudget.ts).
    ...shared,
    entryPoints: { sandbox: 'src/sandbox/cli.ts', 'sandbox-turns': 'src/sandbox/turnWorker.ts', 'sandbox-regex': 'src/sandbox/regexWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...shared,
    entryPoints: { chat: 'webview/chat/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

// The flow schema ships beside the bundle: package.json's jsonValidation points at it, and the
// package holds dist/ only.
mkdirSync('dist', { recursive: true });
copyFileSync('src/flow/flow.schema.json', 'dist/flow.schema.json');
// The conversation test schema, for package.json's yamlValidation (read by the Red Hat YAML extension).
copyFileSync('src/conversationTests/sarufi-test.schema.json', 'dist/sarufi-test.schema.json');

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  // Every bundle is attempted, so one broken runtime does not hide the other's errors.
  const results = await Promise.allSettled(builds.map((options) => esbuild.build(options)));
  if (results.some((result) => result.status === 'rejected')) {
    process.exitCode = 1;
  }
}
