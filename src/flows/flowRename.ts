// Renaming a state or an intent, as text changes computed from the symbol index: the key, every
// target that names it, every template and condition that reads a state's answer (stored under
// the state's name), and the conversation tests that expect the state. Only the names' own text
// changes, so the files keep their formatting. Pure: the editor's rename and the canvas use it.
import { CANCEL_INTENT, METADATA_KEYS } from '../flow/flowReader.js';
import { BUILT_IN_VARIABLES } from './flowSymbols.js';
import type { FlowSymbols, Span } from './flowSymbols.js';
import type { TestStateReference, TestSymbols } from './testSymbols.js';

/** Replace `length` characters at `offset` with `newText`. */
export interface TextChange {
  offset: number;
  length: number;
  newText: string;
}

/** What a rename may act on: a state or an intent, by name. */
export interface RenameTarget {
  kind: 'state' | 'intent';
  name: string;
  /** The name's own text at the place asked (inside the quotes), to show in the rename box. */
  span: Span;
}

/** A rename asked where it cannot happen, with the words an author reads. */
export class RenameRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenameRefused';
  }
}

export interface TestFile {
  /** Whatever the caller names the test file by (a path, a URI). */
  file: string;
  symbols: TestSymbols;
}

export interface RenamePlan {
  flow: TextChange[];
  tests: { file: string; changes: TextChange[] }[];
}

/** Keys that may not name a state: the flow's own metadata in either shape, and `states`. */
const RESERVED_STATE_NAMES: readonly string[] = [...METADATA_KEYS, 'states'];
/** Characters that would split `{{variables.<name>}}` into a different path. */
const PATH_BREAKERS = /[.[\]{}\s]/;

/** What a rename at this offset of a flow would rename; throws RenameRefused, in words, where none can happen. */
export function prepareRename(symbols: FlowSymbols, offset: number): RenameTarget {
  const at = symbols.symbolAt(offset);
  if (!at) {
    throw new RenameRefused('Put the cursor on a state or an intent to rename it.');
  }
  const inside = insideQuotes(symbols.text, at.span);
  switch (at.kind) {
    case 'state':
      assertRenamableState(symbols, at.name);
      return { kind: 'state', name: at.name, span: inside };
    case 'intent':
      if (at.name === CANCEL_INTENT) {
        throw new RenameRefused(`'${CANCEL_INTENT}' is the intent that abandons the flow from any state; another name would make it an ordinary intent.`);
      }
      return { kind: 'intent', name: at.name, span: inside };
    case 'variable':
      if (BUILT_IN_VARIABLES.includes(at.name)) {
        throw new RenameRefused(`'${at.name}' is a built-in variable: the sandbox and Sarufi set it, so its name cannot change.`);
      }
      if (symbols.state(at.name)) {
        // `{{ask_name}}` reads the answer of state ask_name: renaming it renames the state.
        assertRenamableState(symbols, at.name);
        return { kind: 'state', name: at.name, span: at.span };
      }
      throw new RenameRefused(`'${at.name}' is not a state's answer; rename states and intents (a save_to or save_input_as is renamed by editing it).`);
    case 'integration':
      throw new RenameRefused('Integrations are named in sarufi.sandbox.json and on Sarufi; rename states and intents here.');
  }
}

/** Why `newName` cannot replace the target's name, or null when it can. */
export function newNameProblem(symbols: FlowSymbols, target: Pick<RenameTarget, 'kind' | 'name'>, newName: string): string | null {
  if (newName.trim() === '') {
    return `A ${target.kind} needs a name.`;
  }
  if (newName !== newName.trim()) {
    return 'A name may not start or end with spaces.';
  }
  if (newName === target.name) {
    return null;
  }
  if (target.kind === 'intent') {
    if (symbols.intents.some((intent) => intent.name === newName)) {
      return `An intent named '${newName}' already exists.`;
    }
    return newName === CANCEL_INTENT ? `'${CANCEL_INTENT}' is the intent that abandons the flow from any state; pick another name.` : null;
  }
  if (symbols.state(newName)) {
    return `A state named '${newName}' already exists.`;
  }
  if (RESERVED_STATE_NAMES.includes(newName)) {
    return `'${newName}' is a key of the flow itself (${RESERVED_STATE_NAMES.join(', ')}), not a state name.`;
  }
  if (BUILT_IN_VARIABLES.includes(newName)) {
    return `'${newName}' is a built-in variable: a state's answer is stored under its name and would overwrite it.`;
  }
  if (PATH_BREAKERS.test(newName) && symbols.variableReferencesTo(target.name).length > 0) {
    return `Templates read this state's answer as {{variables.${target.name}}}; a name with spaces, dots, brackets or braces cannot be read that way.`;
  }
  return null;
}

/** The changes that rename a state or an intent; throws RenameRefused when the new name cannot be used. */
export function renameEdits(symbols: FlowSymbols, target: Pick<RenameTarget, 'kind' | 'name'>, newName: string, tests: readonly TestFile[] = []): RenamePlan {
  const problem = newNameProblem(symbols, target, newName);
  if (problem !== null) {
    throw new RenameRefused(problem);
  }
  if (newName === target.name) {
    return { flow: [], tests: [] };
  }
  const literal = JSON.stringify(newName);
  const replace = (span: Span, newText: string): TextChange => ({ offset: span.offset, length: span.length, newText });
  if (target.kind === 'intent') {
    return {
      flow: sorted([
        ...symbols.intents.filter((intent) => intent.name === target.name).map((intent) => replace(intent.key, literal)),
        ...symbols.intentReferences.filter((reference) => reference.name === target.name).map((reference) => replace(reference.key, literal)),
      ]),
      tests: [],
    };
  }
  assertRenamableState(symbols, target.name);
  // Inside a JSON string a name needs its escapes (a quote, a backslash) but not its quotes.
  const inString = literal.slice(1, -1);
  const flow = sorted([
    ...symbols.states.filter((state) => state.name === target.name).map((state) => replace(state.key, literal)),
    ...symbols.referencesTo(target.name).map((reference) => replace(reference.span, literal)),
    ...symbols.variableReferencesTo(target.name).map((reference) => replace(reference.span, inString)),
  ]);
  const testChanges = tests
    .map(({ file, symbols: test }) => ({
      file,
      changes: test.states.filter((state) => state.name === target.name).map((state) => replace(state.span, yamlScalarText(newName, state.style))),
    }))
    .filter((entry) => entry.changes.length > 0);
  return { flow, tests: testChanges };
}

/** Applies non-overlapping changes to a text (for tests and previews; editors apply their own). */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let result = text;
  for (const change of [...changes].sort((a, b) => b.offset - a.offset)) {
    result = result.slice(0, change.offset) + change.newText + result.slice(change.offset + change.length);
  }
  return result;
}

/** Throws RenameRefused when the state cannot be renamed: it does not exist, or the cancel intent needs its name. */
export function assertRenamableState(symbols: FlowSymbols, name: string): void {
  if (name === CANCEL_INTENT && symbols.intents.some((intent) => intent.name === CANCEL_INTENT)) {
    throw new RenameRefused(`The '${CANCEL_INTENT}' intent leads to the state named '${CANCEL_INTENT}'; another name would leave cancelling with nowhere to go.`);
  }
  if (!symbols.state(name)) {
    throw new RenameRefused(`No state is named '${name}' in this flow: create it first (the quick fix on the target does).`);
  }
}

/** A string literal's span without its quotes; other spans as they are. */
function insideQuotes(text: string, span: Span): Span {
  return text.charAt(span.offset) === '"' && span.length >= 2 ? { offset: span.offset + 1, length: span.length - 2 } : span;
}

function sorted(changes: TextChange[]): TextChange[] {
  return changes.sort((a, b) => a.offset - b.offset);
}

/**
 * A state name as YAML text in the quoting the author chose. A plain scalar stays plain only when
 * it is a simple name that YAML reads back as the same text (not `123`, `true`, `null`, `a: b`);
 * otherwise it is double-quoted, which YAML reads as JSON does. (No YAML parser here: this module
 * is in the editor's flow bundle, and yaml is in the test runner's.)
 */
export function yamlScalarText(name: string, style: TestStateReference['style']): string {
  if (style === 'QUOTE_SINGLE') {
    return `'${name.replace(/'/g, "''")}'`;
  }
  if (style !== 'QUOTE_DOUBLE' && PLAIN_NAME.test(name) && !YAML_SPECIAL.test(name)) {
    return name;
  }
  return JSON.stringify(name);
}

/** Letters, digits, `_` and `-` (not first): YAML reads these as text unless they spell a value below. */
const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_-]*$/u;
/** YAML 1.1 and 1.2 words for booleans and null (and `y`/`n`), which some readers still take as such. */
const YAML_SPECIAL = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
