// Sarufi: Convert v1 Flow and `sarufi-test convert`, without VS Code: which files of a folder make
// an existing Sarufi bot (the SDKs' flow/intents/metadata files in YAML or JSON, the dashboard's
// `<bot name> flow.json` export, a state-list file), how each is read, and the text and name of
// the dev/v1 flow file written beside them.
import { parseDocument } from 'yaml';
import { convertStateListFlow } from '../flow/stateListConvert.js';
import { convertV1Flow, V1ConversionError } from '../flow/v1Convert.js';
import type { V1Conversion } from '../flow/v1Convert.js';
import { isRecord } from '../flow/botMessages.js';
import { recogniseStateListFlow } from '../flow/v1Format.js';

const FLOW_NAME = /^(flows?|dialog)\.(json|ya?ml)$/i;
/** The dashboard's export: `<bot name> flow.json` beside `<bot name> intents.json`. */
const EXPORTED_FLOW = /^(.+) flow\.json$/i;
const INTENTS_NAME = /^intents?\.(json|ya?ml)$/i;
const EXPORTED_INTENTS = / intents\.json$/i;
const METADATA_NAME = /^metadata\.(json|ya?ml)$/i;
const YAML_NAME = /\.ya?ml$/i;

const V1_FILE_NAMES = 'flow.json, flows.yaml, dialog.yaml (JSON or YAML) or the dashboard\'s "<bot name> flow.json"';

export interface BotFile {
  name: string;
  text: string;
}

export interface ConvertedFlowFile {
  /** The new file's name, beside the v1 files. */
  fileName: string;
  text: string;
  notes: string[];
  /** The files that were read, flow first. */
  read: string[];
}

/** A bot's files by role: the flow, and the intents and metadata beside it when there are. */
export interface V1FileChoice {
  flow: string;
  intents: string | null;
  metadata: string | null;
  notes: string[];
}

function isFlowName(name: string): boolean {
  return FLOW_NAME.test(name) || EXPORTED_FLOW.test(name);
}

function isCompanionName(name: string): boolean {
  return INTENTS_NAME.test(name) || EXPORTED_INTENTS.test(name) || METADATA_NAME.test(name);
}

/**
 * Which of a folder's files make the bot. `picked` is the file the author chose (a flow, or its
 * intents or metadata file, which stand for the folder), or null for the folder itself.
 */
export function pickV1Files(fileNames: readonly string[], picked: string | null): V1FileChoice {
  const notes: string[] = [];
  let flow = picked;
  if (flow === null || isCompanionName(flow)) {
    const named = fileNames.filter(isFlowName).sort();
    // A folder that holds one bot file of another name (a state-list export): that file.
    const others = fileNames.filter((name) => /\.(json|ya?ml)$/i.test(name) && !isCompanionName(name) && !name.endsWith('.flow.json'));
    const candidates = named.length === 0 && others.length === 1 ? others : named;
    if (candidates.length === 0) {
      throw new V1ConversionError(`No v1 flow file here: looked for ${V1_FILE_NAMES}.`);
    }
    if (candidates.length > 1) {
      throw new V1ConversionError(`Several flow files here (${candidates.join(', ')}): convert one of them by name.`);
    }
    flow = candidates[0] ?? '';
  }
  const exported = EXPORTED_FLOW.exec(flow);
  const exportedIntents = exported ? fileNames.find((name) => name.toLowerCase() === `${exported[1] ?? ''} intents.json`.toLowerCase()) : undefined;
  const intentsFiles = exportedIntents ? [exportedIntents] : fileNames.filter((name) => INTENTS_NAME.test(name) || EXPORTED_INTENTS.test(name)).sort();
  // flows.yaml goes with intents.yaml rather than an intents.json beside it.
  const sameKind = intentsFiles.filter((name) => YAML_NAME.test(name) === YAML_NAME.test(flow));
  const intents = sameKind[0] ?? intentsFiles[0] ?? null;
  if (intentsFiles.length > 1) {
    notes.push(`Several intents files here (${intentsFiles.join(', ')}): ${intents ?? ''} was read; check it is the one that goes with ${flow}.`);
  }
  const metadata = fileNames.filter((name) => METADATA_NAME.test(name)).sort()[0] ?? null;
  return { flow, intents, metadata, notes };
}

/** A YAML or JSON file's value; a YAML error names its line. */
export function parseBotFile(file: BotFile, notes: string[]): unknown {
  if (!YAML_NAME.test(file.name)) {
    try {
      return JSON.parse(file.text) as unknown;
    } catch (error) {
      throw new V1ConversionError(`${file.name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (/^\s*[{[]/.test(file.text)) {
    try {
      return JSON.parse(file.text) as unknown;
    } catch (error) {
      // YAML reads such text too, but by its own rules: `{"a": "b" "c": 1}` is not what the author meant.
      notes.push(
        `${file.name} looks like JSON but is not valid JSON (${error instanceof Error ? error.message : String(error)}): it was read as YAML, which may not be what you meant. Check the converted states against it.`,
      );
    }
  }
  const document = parseDocument(file.text, { prettyErrors: true, uniqueKeys: true });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0];
    // yaml's own messages end with a code excerpt; the first line is the reason.
    const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new V1ConversionError(`${file.name}${line ? `:${line.line}:${line.col}` : ''}: ${reason}`);
  }
  return document.toJS() as unknown;
}

function slug(text: string): string {
  return (
    text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'bot'
  );
}

function metadataOf(value: unknown, fileName: string, notes: string[]): { name?: string; description?: string } {
  if (!isRecord(value)) {
    notes.push(`${fileName} is not an object of name and description and was left out.`);
    return {};
  }
  const text = (key: string): string | undefined => (typeof value[key] === 'string' && value[key] !== '' ? value[key] : undefined);
  const name = text('name');
  const description = text('description');
  return { ...(name === undefined ? {} : { name }), ...(description === undefined ? {} : { description }) };
}

/** The converted flow's file name and the bot's name, from the flow file's name. */
function namesFor(flowFile: string, folderName: string, metadataName: string | undefined): { fileName: string; botName: string } {
  const exported = EXPORTED_FLOW.exec(flowFile);
  const stem = flowFile.replace(/(\.flow)?\.(json|ya?ml)$/i, '');
  let base: string;
  let botName: string;
  if (exported) {
    botName = exported[1] ?? stem;
    base = slug(botName);
  } else if (FLOW_NAME.test(flowFile)) {
    botName = folderName;
    base = folderName;
  } else {
    botName = stem;
    base = stem;
  }
  // A v1 flow already named *.flow.json keeps its file: the dev/v1 one goes beside it.
  const fileName = `${base}.flow.json` === flowFile ? `${base}-converted.flow.json` : `${base}.flow.json`;
  return { fileName, botName: metadataName ?? botName };
}

export interface V1Bot {
  /** The name of the folder that holds the files, which names a `flow.json`'s chatbot. */
  folderName: string;
  flow: BotFile;
  intents: BotFile | null;
  metadata: BotFile | null;
}

export function convertV1Files(bot: V1Bot): ConvertedFlowFile {
  const notes: string[] = [];
  const flowValue = parseBotFile(bot.flow, notes);
  const metadata = bot.metadata === null ? {} : metadataOf(parseBotFile(bot.metadata, notes), bot.metadata.name, notes);
  const { fileName, botName } = namesFor(bot.flow.name, bot.folderName, metadata.name);
  const info = { name: botName, ...(metadata.description === undefined ? {} : { description: metadata.description }) };
  const read = [bot.flow.name];
  let conversion: V1Conversion;
  if (recogniseStateListFlow(flowValue) !== null) {
    conversion = convertStateListFlow(flowValue);
    conversion.flow = { name: botName, ...conversion.flow };
  } else {
    const intents = bot.intents === null ? undefined : parseBotFile(bot.intents, notes);
    conversion = convertV1Flow(flowValue, intents, info);
    if (bot.intents === null) {
      notes.push(`No intents file beside ${bot.flow.name} (intents.json or .yaml): the converted flow has no intents, so only 'start' can begin a conversation.`);
    } else {
      read.push(bot.intents.name);
    }
  }
  if (bot.metadata !== null) {
    read.push(bot.metadata.name);
  }
  return { fileName, text: `${JSON.stringify(conversion.flow, null, 2)}\n`, notes: [...notes, ...conversion.notes], read };
}

export interface V1Source {
  folderName: string;
  /** The names of the files in the folder. */
  fileNames: readonly string[];
  /** The file the author chose, or null for the folder. */
  picked: string | null;
}

/** Picks, reads and converts a bot: the one path the command and the CLI share. */
export async function convertV1Bot(source: V1Source, read: (fileName: string) => Promise<string>): Promise<ConvertedFlowFile> {
  const choice = pickV1Files(source.fileNames, source.picked);
  const file = async (name: string | null): Promise<BotFile | null> => (name === null ? null : { name, text: await read(name) });
  const converted = convertV1Files({
    folderName: source.folderName,
    flow: { name: choice.flow, text: await read(choice.flow) },
    intents: await file(choice.intents),
    metadata: await file(choice.metadata),
  });
  return { ...converted, notes: [...choice.notes, ...converted.notes] };
}
