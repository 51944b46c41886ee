// Issue paths in the style of Sarufi's validate endpoint: `states.menu.message.buttons[3]`.
import type { FlowIssue } from '../sarufi/types.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  if (IDENTIFIER.test(key)) {
    return parent === '' ? key : `${parent}.${key}`;
  }
  // Keys such as `yes|ndiyo` or `^\d+$` stay readable and unambiguous in brackets.
  return `${parent}[${JSON.stringify(key)}]`;
}

export function statePath(stateName: string): string {
  return childPath('states', stateName);
}

/** Collects errors and warnings while a flow is read and checked. */
export class IssueCollector {
  readonly errors: FlowIssue[] = [];
  readonly warnings: FlowIssue[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
}
