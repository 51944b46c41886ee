// The bundle of the commands that write a file the author asked for (dist/fileWriters.js): Save as
// test, Export transcript, Export Bug Report and Convert v1 Flow. Loaded by the first of them, not
// at activation.
export { transcriptToJson, transcriptToMarkdown } from '../../chat/exportTranscript.js';
export { exportBugReport } from '../commands/exportBugReport.js';
export { convertV1Flow } from '../flows/convertV1Command.js';
export { saveChatAsTest } from '../testing/saveAsTest.js';
