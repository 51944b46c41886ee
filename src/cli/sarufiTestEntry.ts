// `sarufi-test`: the conversation-test runner as a command. The npm package's bin
// (dist/sarufi-test.js, built by esbuild.mjs --cli) and, through tsx, bin/sarufi-test.mjs in a clone.
import { runCli } from './sarufiTest.js';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
