// The conversation-test bundle (dist/conversationTests.js): the parser, the runner, the coverage,
// Save as test and the test generator, with `yaml` and `randexp`. The extension imports this file
// only through `import()`, which the build turns into a require() of that bundle on first use
// (esbuild.mjs), so they cost nothing until a test file is read, written or generated. The
// states a test expects (for go to definition and rename) are read with the same yaml.
export { bugReportFileName, buildBugReport } from '../conversationTests/bugReport.js';
export { coverageDetails, coverageReport, suiteCoverage } from '../conversationTests/coverage.js';
export { checkReply } from '../conversationTests/expectations.js';
export { parseTestFile, substitute, TEST_FILE_SUFFIX, TestFileError } from '../conversationTests/format.js';
export { generateTestsForFlow, generationDetails, generationMessage } from '../conversationTests/generate.js';
export { lastSessionTurns, transcriptToTestYaml } from '../conversationTests/fromTranscript.js';
export { fillExpectation, runConversationTests } from '../conversationTests/runner.js';
export { indexTestFile, testTargetsFlow } from '../flows/testSymbols.js';
