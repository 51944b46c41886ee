// Chat API sessions and their stored turns, which the Conversations API lists.
import { SESSION_IDLE_MS } from '../sarufi/endpoints.js';
import type { ConversationMessage } from '../sarufi/types.js';
import type { KnownMessage } from '../flow/botMessages.js';
import type { ConversationSnapshot, UserInput } from '../flow/engine.js';
import type { FlowModel } from '../flow/flowTypes.js';
import type { Persona } from '../sarufi/sandboxExtensions.js';
import type { TurnAnswer, TurnOptions } from './turnProtocol.js';

/** Live (open) sessions kept at once; past it, the one idle the longest is closed. */
export const MAX_LIVE_SESSIONS = 500;

/** Turns of one session a fork can start from; older ones are dropped first. */
export const MAX_SNAPSHOTS_PER_SESSION = 200;

export interface SessionRecord {
  id: string;
  chatbotId: string;
  /** The flow the session runs (a snapshot taken when it started) and how its turns are run. */
  model: FlowModel;
  options: TurnOptions;
  /** Where the conversation stands: each turn runs in a worker from here, and comes back with the next. */
  state: ConversationSnapshot;
  /** The turn running now, so the next one waits for it, as on Sarufi. */
  queue: Promise<unknown>;
  createdAt: number;
  lastActivityAt: number;
  /** Only expiry and eviction close a session: Sarufi documents no end state (a dead-end state just stays). */
  closed: { reason: 'expired' | 'evicted'; at: number } | null;
  /** Oldest first: the greeting, then one record per user message with the bot's answer. */
  turns: ConversationMessage[];
  /** Where the session stood after each of its last MAX_SNAPSHOTS_PER_SESSION turns, by turn number: what a fork starts from. */
  snapshots: Map<number, ConversationSnapshot>;
  /** The number the next turn gets: a fork from turn k counts on from k + 1, so numbers mean the same in both. */
  nextTurn: number;
  /** Who the author chats as (the session's request body); null: the sandbox's default user. */
  persona: Persona | null;
}

/** How a session begins: its first turn's number (0, or the forked turn's) and who chats. */
export interface SessionOpening {
  turn: number;
  persona: Persona | null;
}

/** A one-line text for a bot answer: texts and captions, media as [type]. */
export function summarize(messages: readonly KnownMessage[]): string {
  return messages
    .map((message) => {
      switch (message.type) {
        case 'text':
        case 'buttons':
        case 'list':
          return message.text;
        case 'audio':
          return '[audio]';
        default:
          return message.media_caption ?? `[${message.type}]`;
      }
    })
    .join('\n');
}

export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(
    private readonly clock: () => number,
    private readonly newId: () => string,
    private readonly maxLive = MAX_LIVE_SESSIONS,
  ) {}

  open(chatbotId: string, id: string, model: FlowModel, options: TurnOptions, greeting: TurnAnswer, opening: SessionOpening = { turn: 0, persona: null }): SessionRecord {
    const now = this.clock();
    this.makeRoom(now);
    const session: SessionRecord = {
      id,
      chatbotId,
      model,
      options,
      state: greeting.snapshot,
      queue: Promise.resolve(),
      createdAt: now,
      lastActivityAt: now,
      closed: null,
      turns: [],
      snapshots: new Map([[opening.turn, greeting.snapshot]]),
      nextTurn: opening.turn + 1,
      persona: opening.persona,
    };
    this.append(session, null, greeting.messages, now);
    this.sessions.set(id, session);
    return session;
  }

  /** Runs `work` after the session's earlier turns, one at a time. */
  inTurn<T>(session: SessionRecord, work: () => Promise<T>): Promise<T> {
    const run = session.queue.then(work);
    session.queue = run.catch(() => undefined);
    return run;
  }

  /** The session, with its expiry brought up to date; undefined when unknown or another bot's. */
  find(chatbotId: string, sessionId: string): SessionRecord | undefined {
    const session = this.sessions.get(sessionId);
    if (!session || session.chatbotId !== chatbotId) {
      return undefined;
    }
    this.expire(session);
    return session;
  }

  ofChatbot(chatbotId: string): SessionRecord[] {
    return [...this.sessions.values()].filter((session) => {
      this.expire(session);
      return session.chatbotId === chatbotId;
    });
  }

  /** Stores one user message and the bot's answer. */
  recordTurn(session: SessionRecord, input: UserInput, answer: TurnAnswer, receivedAt: number): ConversationMessage {
    const now = this.clock();
    session.lastActivityAt = now;
    session.state = answer.snapshot;
    session.snapshots.set(session.nextTurn, answer.snapshot);
    session.nextTurn += 1;
    // A Map keeps insertion order, and turns are inserted in order: the first key is the oldest.
    while (session.snapshots.size > MAX_SNAPSHOTS_PER_SESSION) {
      session.snapshots.delete(session.snapshots.keys().next().value as number);
    }
    return this.append(session, input, answer.messages, receivedAt);
  }

  private append(session: SessionRecord, input: UserInput | null, answer: KnownMessage[], receivedAt: number): ConversationMessage {
    const respondedAt = new Date(this.clock()).toISOString();
    const isClick = input?.button_id != null && input.button_id !== '';
    const record: ConversationMessage = {
      id: this.newId(),
      conversation_id: session.id,
      message:
        input === null
          ? null
          : { type: isClick ? 'button' : 'text', text: input.message, ...(isClick ? { button_id: input.button_id } : {}) },
      response: answer.length === 0 ? null : { type: 'text', text: summarize(answer), messages: answer },
      message_type: isClick ? 'button' : 'text',
      responder: 'BOT',
      received_at: input === null ? null : new Date(receivedAt).toISOString(),
      responded_at: respondedAt,
      status: 'DELIVERED',
      created_at: new Date(receivedAt).toISOString(),
    };
    session.turns.push(record);
    return record;
  }

  /** Below the bound of live sessions before one more opens: the longest idle goes first. */
  private makeRoom(now: number): void {
    const live = [...this.sessions.values()].filter((session) => {
      this.expire(session);
      return session.closed === null;
    });
    live.sort((a, b) => a.lastActivityAt - b.lastActivityAt);
    for (const session of live.slice(0, Math.max(0, live.length - this.maxLive + 1))) {
      session.closed = { reason: 'evicted', at: now };
      // What bounds the memory of sessions kept past their end: an evicted one can no longer be forked.
      session.snapshots.clear();
    }
  }

  private expire(session: SessionRecord): void {
    if (session.closed === null && this.clock() - session.lastActivityAt >= SESSION_IDLE_MS) {
      session.closed = { reason: 'expired', at: session.lastActivityAt + SESSION_IDLE_MS };
    }
  }
}
