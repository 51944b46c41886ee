// What an entry's controls may do: post to the host, or send an answer to the bot. In a read-only
// transcript nothing that would start a request is clickable.
import type { UserInput } from '../../../src/chat/transcript';
import type { TurnTrace } from '../../../src/flow/turnTrace';
import type { Exchange } from '../../../src/sarufi/exchange';
import type { WebviewToHost } from '../../../src/protocol';

export interface EntryContext {
  readonly readOnly: boolean;
  post(message: WebviewToHost): void;
  /** Sends an answer to the bot (the app gives it a request id). */
  send(input: UserInput): void;
  /** The entry's raw exchange, asked of the host (the page is not sent them up front). */
  inspect(entryId: string): Promise<Exchange | undefined>;
  /** The turn's sandbox trace, asked of the host once per entry; null when the server sent none. */
  trace(entryId: string): Promise<TurnTrace | null>;
  /** Shows the turn in the Variables view. */
  select(entryId: string): void;
}
