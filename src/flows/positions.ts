// Offsets in a document's text ↔ zero-based line/character positions, as VS Code counts them
// (UTF-16 code units, which is also how JavaScript strings index), so pure code can compute ranges.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === 10) {
        this.starts.push(index + 1);
      } else if (code === 13 && text.charCodeAt(index + 1) !== 10) {
        // A lone CR ends a line too (old Mac files); CRLF is handled by its LF.
        this.starts.push(index + 1);
      }
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= clamped) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { line: low, character: clamped - (this.starts[low] ?? 0) };
  }

  range(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + length) };
  }
}
