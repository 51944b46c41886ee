#!/usr/bin/env node
// The `sarufi-test` bin of a clone: runs src/cli/sarufiTestEntry.ts through tsx (a devDependency),
// so that `npx sarufi-test` works right after `npm install`, with no build step to forget. Authors
// install the built package instead (cli-package/, `npm run pack:cli`).
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

// The repository is CommonJS, so its TypeScript sources load through tsx's require hook.
register();
createRequire(import.meta.url)('../src/cli/sarufiTestEntry.ts');
