// The chat panel's ChatApi for a debug session: the panel is the debuggee's window. Its greeting is
// the session's first turn, and a message typed in it goes to the adapter (its `sarufiSend`
// request); the answer is the adapter's next `sarufiTurn` event, which may come only after the
// author has stepped through the turn.
import type * as vscode from 'vscode';
import type { ChatApi } from '../../chat/chatSession.js';
import type { GenericMessage } from '../../flow/botMessages.js';
import type { Exchange, Result } from '../../sarufi/exchange.js';
import type { CreateSessionResponse, SendMessageResponse } from '../../sarufi/types.js';

/** The adapter's custom event and request names (src/debug/flowDebugSession.ts). */
export const TURN_EVENT = 'sarufiTurn';
export const SEND_REQUEST = 'sarufiSend';

export type DebugTurn = { messages: GenericMessage[]; current_state: string } | { error: string };

export class DebugChatApi implements ChatApi {
  /** Turns that came while nobody waited: only the greeting is kept for a panel that opens late. */
  private greeting: DebugTurn | null = null;
  private greeted = false;
  private readonly waiting: ((turn: DebugTurn) => void)[] = [];
  private messagesCount = 0;

  constructor(
    private readonly session: Pick<vscode.DebugSession, 'customRequest' | 'id'>,
    private readonly flowFile: string,
  ) {}

  /** Called with every `sarufiTurn` event of the session. */
  turnEnded(turn: DebugTurn): void {
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter(turn);
    } else if (!this.greeted) {
      this.greeting = turn;
    }
  }

  async createSession(): Promise<Result<CreateSessionResponse>> {
    const started = Date.now();
    const turn = this.greeting ?? (await this.nextTurn());
    this.greeting = null;
    this.greeted = true;
    const data = this.answer(turn);
    this.messagesCount = data.messages.length;
    return {
      data: { session_id: `debug-${this.session.id}`, channel: 'api', created_at: new Date(started).toISOString(), messages: data.messages },
      exchange: this.exchange(started, undefined, data),
    };
  }

  async sendMessage(_chatbotId: string, sessionId: string, body: { message: string; button_id?: string | null }): Promise<Result<SendMessageResponse>> {
    const started = Date.now();
    const next = this.nextTurn();
    await this.session.customRequest(SEND_REQUEST, { text: body.message, ...(body.button_id ? { buttonId: body.button_id } : {}) });
    const data = this.answer(await next);
    this.messagesCount += data.messages.length;
    return {
      data: { session_id: sessionId, messages: data.messages, messages_count: this.messagesCount, current_state: data.current_state, timestamp: new Date().toISOString() },
      exchange: this.exchange(started, body, data),
    };
  }

  private nextTurn(): Promise<DebugTurn> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private answer(turn: DebugTurn): { messages: GenericMessage[]; current_state: string } {
    if ('error' in turn) {
      throw new Error(turn.error);
    }
    return turn;
  }

  /** What the inspector shows for a debugged turn: the DAP request and the adapter's answer, no HTTP. */
  private exchange(started: number, body: unknown, data: unknown): Exchange {
    return {
      method: 'POST',
      url: `sarufi-flow-debug:${this.flowFile}`,
      requestHeaders: {},
      requestBody: body,
      status: 200,
      responseHeaders: {},
      responseText: JSON.stringify(data),
      responseJson: data,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      attempt: 1,
    };
  }
}
