// Text edits for the flow file's quick fixes, computed with jsonc-parser's `modify` so that the
// file keeps its indentation and the rest of it is untouched.
import { modify } from 'jsonc-parser';
import { closestNames } from '../flow/closestNames.js';
import type { FormattingOptions } from 'jsonc-parser';
import { FlowDocument } from './flowDocument.js';
import type { Range } from './positions.js';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** What a new state starts as: a message to fill in and no transitions yet (it stays put until it gets some). */
export function newStateTemplate(name: string): { message: string } {
  return { message: `TODO: what the bot says in '${name}'.` };
}

/**
 * Edits that add an empty state named `name` at the end of the states (under "states" in the
 * wrapped shape, at the top level otherwise). Empty when the state exists or the file is not JSON.
 */
export function createStateEdits(text: string, name: string, formatting: { tabSize: number; insertSpaces: boolean; eol: string }): TextEdit[] {
  const document = new FlowDocument(text);
  if (!document.parsed || document.root?.type !== 'object' || document.state(name)) {
    return [];
  }
  const path = document.wrapped ? ['states', name] : [name];
  const options: FormattingOptions = { tabSize: formatting.tabSize, insertSpaces: formatting.insertSpaces, eol: formatting.eol };
  return modify(text, path, newStateTemplate(name), { formattingOptions: options }).map((edit) => ({
    range: document.lines.range(edit.offset, edit.length),
    newText: edit.content,
  }));
}

/**
 * The existing states an unknown target most likely meant, closest first, for "Change to …"
 * fixes offered before "Create state". Empty when the text is not JSON or nothing is close.
 */
export function closestStates(text: string, missing: string): string[] {
  const document = new FlowDocument(text);
  return document.parsed ? closestNames(missing, document.states().map((state) => state.name)) : [];
}
