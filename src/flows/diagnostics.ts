// The flow file's problems as the Problems panel shows them: syntax errors, then the sandbox
// validator's errors and warnings (or those of Sarufi's validate endpoint), each on the range of
// the offending key. Pure data; src/host/flows turns it into vscode.Diagnostics.
import type { FlowIssue } from '../sarufi/types.js';
import { NO_FALLBACK_WARNING, validateFlow } from '../flow/validator.js';
import type { ValidateOptions } from '../flow/validator.js';
import { FlowDocument } from './flowDocument.js';
import { locateIssuePath } from './issuePaths.js';
import type { Range } from './positions.js';

export type FlowProblemCode =
  | 'syntax'
  | 'unknown-state'
  | 'unknown-initial-state'
  | 'no-states'
  | 'unreachable-state'
  | 'no-fallback'
  | 'whatsapp-limit'
  | 'other';

export interface FlowProblem {
  severity: 'error' | 'warning';
  message: string;
  /** The issue path, `states.menu.transitions`; empty for syntax errors. */
  path: string;
  range: Range;
  code: FlowProblemCode;
  /** For an unknown target: the state that a quick fix can create. */
  missingState?: string;
}

const UNKNOWN_STATE = /^Unknown state '(.*)'\.$/s;
const UNKNOWN_INITIAL = /^Unknown initial state '(.*)'\.$/s;

function classify(message: string): { code: FlowProblemCode; missingState?: string } {
  const unknown = UNKNOWN_STATE.exec(message);
  if (unknown?.[1] !== undefined) {
    return { code: 'unknown-state', missingState: unknown[1] };
  }
  const initial = UNKNOWN_INITIAL.exec(message);
  if (initial?.[1] !== undefined) {
    return { code: 'unknown-initial-state', missingState: initial[1] };
  }
  if (message === 'The flow has no states.') {
    return { code: 'no-states' };
  }
  if (/ is unreachable from the initial state /.test(message)) {
    return { code: 'unreachable-state' };
  }
  if (message === NO_FALLBACK_WARNING) {
    return { code: 'no-fallback' };
  }
  if (message.startsWith('WhatsApp ')) {
    return { code: 'whatsapp-limit' };
  }
  return { code: 'other' };
}

/** Places issues (from the local validator or from Sarufi) on the document's text. */
export function placeIssues(document: FlowDocument, issues: { errors: readonly FlowIssue[]; warnings: readonly FlowIssue[] }): FlowProblem[] {
  const place = (issue: FlowIssue, severity: 'error' | 'warning'): FlowProblem => {
    const located = locateIssuePath(document.root, issue.path);
    const { code, missingState } = classify(issue.message);
    // A target that names no state is wrong in its value (a typo, most often), so the squiggle goes
    // there and not on the trigger's key, which is right.
    const onValue = missingState !== undefined && located.exact && located.node?.type === 'string';
    const [offset, length] = onValue && located.node ? [located.node.offset, located.node.length] : [located.offset, located.length];
    return {
      severity,
      message: located.exact || issue.path === '' ? issue.message : `${issue.message} (at ${issue.path})`,
      path: issue.path,
      range: document.lines.range(offset, length),
      code,
      ...(missingState !== undefined ? { missingState } : {}),
    };
  };
  return [...issues.errors.map((issue) => place(issue, 'error')), ...issues.warnings.map((issue) => place(issue, 'warning'))];
}

/** Everything wrong with a flow file's text, as the local sandbox sees it. Never throws. */
export function flowProblems(text: string, options: ValidateOptions = {}): FlowProblem[] {
  const document = new FlowDocument(text);
  if (!document.parsed) {
    const problems = document.syntaxProblems.length > 0 ? document.syntaxProblems : [{ message: 'Not valid JSON.', offset: 0, length: 0 }];
    return problems.map((problem) => ({
      severity: 'error',
      message: problem.message,
      path: '',
      range: document.lines.range(problem.offset, problem.length),
      code: 'syntax',
    }));
  }
  return placeIssues(document, validateFlow(document.value, options));
}
