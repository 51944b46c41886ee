// Sarufi: Convert v1 Flow, without VS Code: from the text of a v1 `flow.json` (and of the
// `intents.json` beside it, when there is one) to the text and name of a dev/v1 flow file.
import { convertV1Flow, V1ConversionError } from '../flow/v1Format.js';

export interface V1Files {
  /** The v1 flow file's name, e.g. `flow.json`. */
  flowFileName: string;
  /** The name of the folder that holds it, which names a `flow.json`'s chatbot. */
  folderName: string;
  flowText: string;
  /** The intents file's text, or undefined when the folder has none. */
  intentsText: string | undefined;
}

export interface ConvertedFlowFile {
  /** The new file's name, beside the v1 file: `<folder>.flow.json` for a `flow.json`, else `<name>.flow.json` (`<name>-converted.flow.json` when that is the v1 file itself). */
  fileName: string;
  text: string;
  notes: string[];
}

export const V1_INTENTS_FILE = 'intents.json';

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new V1ConversionError(`The ${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function convertV1Files(files: V1Files): ConvertedFlowFile {
  const stem = files.flowFileName.replace(/(\.flow)?\.json$/i, '');
  const name = stem === 'flow' ? files.folderName : stem;
  // A v1 flow already named *.flow.json keeps its file: the dev/v1 one goes beside it.
  const fileName = `${name}.flow.json` === files.flowFileName ? `${name}-converted.flow.json` : `${name}.flow.json`;
  const intents = files.intentsText === undefined ? undefined : parse(files.intentsText, V1_INTENTS_FILE);
  const { flow, notes } = convertV1Flow(parse(files.flowText, 'flow file'), intents, name);
  if (files.intentsText === undefined) {
    notes.unshift(`No ${V1_INTENTS_FILE} beside the flow: the converted flow has no intents, so only 'start' can begin a conversation.`);
  }
  return { fileName, text: `${JSON.stringify(flow, null, 2)}\n`, notes };
}
