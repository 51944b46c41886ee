// The local sandbox's bundle (dist/sandbox.js): its HTTP server, routes and engine. The extension
// imports this file only through `import()`, which the build turns into a require() of that bundle
// on first use (esbuild.mjs): an author who never chats offline never loads it.
export { randomSandboxKey, startSandbox } from '../sandbox/server.js';
