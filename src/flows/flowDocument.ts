// A flow file's text, parsed once for everything the editor needs: the syntax tree (offsets), the
// value (for the validator), syntax errors, and where each state is defined.
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { METADATA_KEYS } from '../flow/flowReader.js';
import { MAX_JSON_DEPTH, offsetBeyondDepth } from '../flow/jsonDepth.js';
import { LineIndex } from './positions.js';
import type { Range } from './positions.js';

export interface SyntaxProblem {
  message: string;
  offset: number;
  length: number;
}

export interface StateDefinition {
  name: string;
  /** The state's key, `"greet"`. */
  keyRange: Range;
  /** The key and its value, `"greet": {…}`. */
  range: Range;
}

export class FlowDocument {
  readonly root: JsonNode | undefined;
  readonly syntaxProblems: SyntaxProblem[];
  // The line table and the parsed value are made when first asked: the symbol index, built on
  // every keystroke, needs neither for most requests.
  private lineIndex: LineIndex | undefined;
  private parsedValue: { value: unknown } | undefined;

  constructor(readonly text: string) {
    // jsonc-parser's tree recurses: text nested deeper than the bound is refused before it parses.
    const tooDeep = offsetBeyondDepth(text);
    if (tooDeep !== -1) {
      this.root = undefined;
      this.syntaxProblems = [
        { message: `The flow nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels here; flatten it.`, offset: tooDeep, length: 1 },
      ];
      this.parsedValue = { value: undefined };
      return;
    }
    const errors: ParseError[] = [];
    // Flow files are strict JSON: Sarufi's API takes no comments and no trailing commas.
    this.root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    this.syntaxProblems = errors.map((error) => ({
      message: `Not valid JSON: ${describeParseError(printParseErrorCode(error.error))}. The sandbox cannot run this file until it parses.`,
      offset: error.offset,
      length: error.length,
    }));
  }

  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  /** `undefined` when the text is not JSON. */
  get value(): unknown {
    if (!this.parsedValue) {
      let value: unknown;
      if (this.syntaxProblems.length === 0) {
        try {
          value = JSON.parse(this.text) as unknown;
        } catch {
          // jsonc-parser accepted what JSON.parse rejects (should not happen with these options).
          value = undefined;
        }
      }
      this.parsedValue = { value };
    }
    return this.parsedValue.value;
  }

  get parsed(): boolean {
    return this.syntaxProblems.length === 0 && this.value !== undefined;
  }

  /** True when states sit under a top-level "states" key (the wrapped shape). */
  get wrapped(): boolean {
    return this.statesNode() !== this.root;
  }

  /** The object whose properties are the states: `states`, or the top level of a map-shaped flow. */
  statesNode(): JsonNode | undefined {
    if (this.root?.type !== 'object') {
      return undefined;
    }
    const statesProperty = this.root.children?.find((property) => property.children?.[0]?.value === 'states');
    return statesProperty ? statesProperty.children?.[1] : this.root;
  }

  /** Every state's definition, in file order. */
  states(): StateDefinition[] {
    const container = this.statesNode();
    if (container?.type !== 'object') {
      return [];
    }
    const metadata = container === this.root ? (METADATA_KEYS as readonly string[]) : [];
    const states: StateDefinition[] = [];
    for (const property of container.children ?? []) {
      const key = property.children?.[0];
      if (!key || typeof key.value !== 'string' || metadata.includes(key.value)) {
        continue;
      }
      states.push({
        name: key.value,
        keyRange: this.lines.range(key.offset, key.length),
        range: this.lines.range(property.offset, property.length),
      });
    }
    return states;
  }

  state(name: string): StateDefinition | undefined {
    return this.states().find((state) => state.name === name);
  }
}

function describeParseError(code: string): string {
  // printParseErrorCode gives identifiers such as `CommaExpected`; authors read words.
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words === 'invalid comment token' ? 'comments are not allowed in JSON' : words;
}
