#!/usr/bin/env node
// The `sarufi-test` bin: runs src/cli/sarufiTest.ts through tsx (a devDependency), so that
// `npx sarufi-test` works in a clone right after `npm install`, with no build step to forget.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

// The package is CommonJS, so its TypeScript sources load through tsx's require hook.
register();
const { runCli } = createRequire(import.meta.url)('../src/cli/sarufiTest.ts');
process.exitCode = await runCli(process.argv.slice(2));
