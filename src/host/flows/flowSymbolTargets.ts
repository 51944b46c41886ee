// What the cursor is on, in a flow file or in a conversation test's `expect: state:`, resolved to
// the flow whose symbol it is: the shared first step of definition, references, hover and rename.
import * as vscode from 'vscode';
import type { FlowSymbols, Span, SymbolAt } from '../../flows/flowSymbols.js';
import type { Range } from '../../flows/positions.js';
import type { TestSymbols } from '../../flows/testSymbols.js';
import type { FlowSymbolCache } from './flowSymbolCache.js';
import { isTestDocument } from './flowSymbolCache.js';
import { toRange } from './vscodeRanges.js';

export interface ResolvedSymbol {
  kind: SymbolAt['kind'];
  name: string;
  role: SymbolAt['role'];
  /** The flow the symbol belongs to. */
  flowUri: vscode.Uri;
  flow: FlowSymbols;
  /** Where the cursor's symbol is, in the document asked about. */
  origin: vscode.Range;
  /** Set when the cursor was in a test file. */
  test?: { symbols: TestSymbols; span: Span };
}

export async function resolveSymbol(cache: FlowSymbolCache, document: vscode.TextDocument, position: vscode.Position): Promise<ResolvedSymbol | undefined> {
  const offset = document.offsetAt(position);
  if (isTestDocument(document)) {
    const test = await cache.test(document);
    const reference = test.stateAt(offset);
    const flowDocument = reference ? await cache.flowOfTest(document.uri, test) : undefined;
    if (!reference || !flowDocument) {
      return undefined;
    }
    return {
      kind: 'state',
      name: reference.name,
      role: 'reference',
      flowUri: flowDocument.uri,
      flow: await cache.flow(flowDocument),
      origin: toRange(test.range(reference.span)),
      test: { symbols: test, span: reference.span },
    };
  }
  const flow = await cache.flow(document);
  const at = flow.symbolAt(offset);
  if (!at) {
    return undefined;
  }
  return { kind: at.kind, name: at.name, role: at.role, flowUri: document.uri, flow, origin: toRange(flow.range(at.span)) };
}

export function locationIn(uri: vscode.Uri, symbols: { range(span: Span): Range }, span: Span): vscode.Location {
  return new vscode.Location(uri, toRange(symbols.range(span)));
}
