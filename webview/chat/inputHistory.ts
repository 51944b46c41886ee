// Up/Down recall of earlier inputs, as in a shell: Up walks back, Down walks forward and finally
// returns the text that was in the box before browsing started.

export class InputHistory {
  private readonly entries: string[];
  /** entries.length means "not browsing: the box holds the author's own draft". */
  private index: number;
  private parked = '';

  constructor(entries: readonly string[]) {
    this.entries = [...entries];
    this.index = this.entries.length;
  }

  get all(): readonly string[] {
    return this.entries;
  }

  /** The previous input, or undefined at the oldest. */
  older(current: string): string | undefined {
    if (this.index === 0 || this.entries.length === 0) {
      return undefined;
    }
    if (this.index === this.entries.length) {
      this.parked = current;
    }
    this.index -= 1;
    return this.entries[this.index];
  }

  /** The next input, the parked draft after the newest, or undefined when not browsing. */
  newer(): string | undefined {
    if (this.index >= this.entries.length) {
      return undefined;
    }
    this.index += 1;
    return this.index === this.entries.length ? this.parked : this.entries[this.index];
  }

  add(text: string): void {
    if (this.entries[this.entries.length - 1] !== text) {
      this.entries.push(text);
    }
    this.index = this.entries.length;
    this.parked = '';
  }
}
