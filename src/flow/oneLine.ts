// Text from a flow, a test file or a bug report, made safe for one line of a terminal, a comment,
// a diagnostic or a TAP report: no line breaks and no control characters (escape sequences) left raw.

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control character (C0, DEL, C1) and Unicode line break escaped as in JSON. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
