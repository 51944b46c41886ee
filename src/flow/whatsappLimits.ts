// WhatsApp Cloud API limits (shared/sarufi-api.md, "Channel limits"). The sandbox reports them as
// warnings: the flow still runs on the api channel, but WhatsApp would refuse such a message.
import type { FlowIssue } from '../sarufi/types.js';
import type { KnownMessage } from './botMessages.js';
import { childPath } from './flowPaths.js';

export const WHATSAPP_LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  sections: 10,
  rowsTotal: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  listButtonText: 20,
  interactiveBody: 1024,
  text: 4096,
} as const;

/** WhatsApp counts characters, not UTF-16 units: an emoji is one. */
function length(text: string): number {
  return [...text].length;
}

function tooLong(issues: FlowIssue[], path: string, text: string, limit: number, what: string): void {
  const actual = length(text);
  if (actual > limit) {
    issues.push({ path, message: `WhatsApp allows at most ${limit} characters in ${what}; this has ${actual}.` });
  }
}

export function whatsappWarnings(message: KnownMessage, path: string): FlowIssue[] {
  const issues: FlowIssue[] = [];
  switch (message.type) {
    case 'text':
      tooLong(issues, childPath(path, 'text'), message.text, WHATSAPP_LIMITS.text, 'a text message');
      break;
    case 'buttons':
      tooLong(issues, childPath(path, 'text'), message.text, WHATSAPP_LIMITS.interactiveBody, 'an interactive message body');
      if (message.buttons.length > WHATSAPP_LIMITS.buttons) {
        issues.push({
          path: childPath(childPath(path, 'buttons'), WHATSAPP_LIMITS.buttons),
          message: `WhatsApp allows at most ${WHATSAPP_LIMITS.buttons} reply buttons; this message has ${message.buttons.length}.`,
        });
      }
      message.buttons.forEach((button, index) => {
        const buttonPath = childPath(childPath(path, 'buttons'), index);
        tooLong(issues, childPath(buttonPath, 'title'), button.title, WHATSAPP_LIMITS.buttonTitle, 'a button title');
        tooLong(issues, childPath(buttonPath, 'id'), button.id, WHATSAPP_LIMITS.buttonId, 'a button id');
      });
      break;
    case 'list': {
      tooLong(issues, childPath(path, 'text'), message.text, WHATSAPP_LIMITS.interactiveBody, 'an interactive message body');
      tooLong(issues, childPath(path, 'button_text'), message.button_text, WHATSAPP_LIMITS.listButtonText, 'a list button label');
      if (message.sections.length > WHATSAPP_LIMITS.sections) {
        issues.push({
          path: childPath(path, 'sections'),
          message: `WhatsApp allows at most ${WHATSAPP_LIMITS.sections} list sections; this list has ${message.sections.length}.`,
        });
      }
      const rows = message.sections.reduce((total, section) => total + section.rows.length, 0);
      if (rows > WHATSAPP_LIMITS.rowsTotal) {
        issues.push({
          path: childPath(path, 'sections'),
          message: `WhatsApp allows at most ${WHATSAPP_LIMITS.rowsTotal} rows across all sections; this list has ${rows}.`,
        });
      }
      message.sections.forEach((section, sectionIndex) => {
        const sectionPath = childPath(childPath(path, 'sections'), sectionIndex);
        if (section.title === undefined) {
          if (message.sections.length > 1) {
            issues.push({ path: sectionPath, message: 'WhatsApp needs a title on every section of a list that has more than one.' });
          }
        } else {
          tooLong(issues, childPath(sectionPath, 'title'), section.title, WHATSAPP_LIMITS.sectionTitle, 'a section title');
        }
        section.rows.forEach((row, rowIndex) => {
          const rowPath = childPath(childPath(sectionPath, 'rows'), rowIndex);
          tooLong(issues, childPath(rowPath, 'title'), row.title, WHATSAPP_LIMITS.rowTitle, 'a row title');
          tooLong(issues, childPath(rowPath, 'id'), row.id, WHATSAPP_LIMITS.rowId, 'a row id');
          if (row.description !== undefined) {
            tooLong(issues, childPath(rowPath, 'description'), row.description, WHATSAPP_LIMITS.rowDescription, 'a row description');
          }
        });
      });
      break;
    }
    default:
      break;
  }
  return issues;
}
