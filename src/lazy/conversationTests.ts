// The conversation-test bundle (dist/conversationTests.js): the parser, the runner, the coverage and
// Save as test, with `yaml`. The extension imports this file only through `import()`, which the
// build turns into a require() of that bundle on first use (esbuild.mjs), so `yaml` costs nothing
// until a test file is read or written.
export { coverageReport, suiteCoverage } from '../conversationTests/coverage.js';
export { parseTestFile, TEST_FILE_SUFFIX, TestFileError } from '../conversationTests/format.js';
export { transcriptToTestYaml } from '../conversationTests/fromTranscript.js';
export { runConversationTests } from '../conversationTests/runner.js';
