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

/** Turns of one session the Conversations API lists; older ones are dropped first. */
export const MAX_TURNS_PER_SESSION = 500;

/**
 * Characters (as JSON) a live session's kept snapshots and turns may hold together; past it the
 * oldest snapshots go first, then the oldest turns. Where it stands now and its last turn are
 * always kept, so one turn of up to MAX_ANSWER_CHARS still fits.
 */
export const MAX_SESSION_CHARS = 2_000_000;

/** Sessions kept after they closed, so the Conversations API still lists them; the oldest closed go first. */
export const MAX_CLOSED_SESSIONS = 500;

/** What a closed session keeps of its turns, in characters (as JSON): the last ones, at least one. */
export const MAX_CLOSED_SESSION_CHARS = 64_000;

/** The longest contact name a session keeps: the Conversations API shows it, nothing more. */
const MAX_KEPT_NAME_CHARS = 200;

export interface SessionRecord {
  id: string;
  chatbotId: string;
  /** The flow the session runs (a snapshot taken when it started) and how its turns are run. */
  model: FlowModel;
  options: TurnOptions;
  /** Where the conversation stands: each turn runs in a worker from here, and comes back with the next. */
  state: ConversationSnapshot;
  /** The turn running now, so the next one waits for it, as on Sarufi; it settles to nothing. */
  queue: Promise<void>;
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
  /** The size (characters of JSON) of each kept turn, in the order of `turns`, and of each snapshot: what the bounds count. */
  sizes: { turns: number[]; snapshots: Map<number, number>; total: number };
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
      snapshots: new Map(),
      nextTurn: opening.turn + 1,
      sizes: { turns: [], snapshots: new Map(), total: 0 },
      persona: opening.persona,
    };
    this.keepSnapshot(session, opening.turn, greeting.snapshot);
    this.append(session, null, greeting.messages, now);
    this.sessions.set(id, session);
    return session;
  }

  /** Runs `work` after the session's earlier turns, one at a time. */
  inTurn<T>(session: SessionRecord, work: () => Promise<T>): Promise<T> {
    const run = session.queue.then(work);
    // Settled to nothing: `run.catch()` alone would keep the last answer (its snapshot and trace) alive.
    session.queue = run.then(
      () => undefined,
      () => undefined,
    );
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
    // A turn that was running when its session closed is listed, but nothing to go on from is kept.
    if (session.closed === null) {
      session.state = answer.snapshot;
      this.keepSnapshot(session, session.nextTurn, answer.snapshot);
    }
    session.nextTurn += 1;
    return this.append(session, input, answer.messages, receivedAt);
  }

  private keepSnapshot(session: SessionRecord, turn: number, snapshot: ConversationSnapshot): void {
    const size = JSON.stringify(snapshot).length;
    session.snapshots.set(turn, snapshot);
    session.sizes.snapshots.set(turn, size);
    session.sizes.total += size;
  }

  /** Drops the oldest snapshots, then the oldest turns, until the session is within its bounds. */
  private trim(session: SessionRecord, maxChars: number): void {
    const { sizes } = session;
    // A Map keeps insertion order, and turns are inserted in order: the first key is the oldest.
    while (session.snapshots.size > MAX_SNAPSHOTS_PER_SESSION || (sizes.total > maxChars && session.snapshots.size > 1)) {
      const oldest = session.snapshots.keys().next().value as number;
      sizes.total -= sizes.snapshots.get(oldest) ?? 0;
      session.snapshots.delete(oldest);
      sizes.snapshots.delete(oldest);
    }
    while (session.turns.length > MAX_TURNS_PER_SESSION || (sizes.total > maxChars && session.turns.length > 1)) {
      session.turns.shift();
      sizes.total -= sizes.turns.shift() ?? 0;
    }
  }

  /**
   * Ends a session and frees what only a live one needs: where it stands, its snapshots (an
   * ended session cannot be forked) and all but its last turns. The Conversations API lists it.
   */
  private close(session: SessionRecord, reason: 'expired' | 'evicted', at: number): void {
    session.closed = { reason, at };
    session.state = { current: session.state.current, started: session.state.started, lastInput: '', variables: {} };
    session.snapshots.clear();
    session.sizes.snapshots.clear();
    session.sizes.total = session.sizes.turns.reduce((sum, size) => sum + size, 0);
    const name = session.options.contactName;
    if (name !== undefined && name.length > MAX_KEPT_NAME_CHARS) {
      // Copied character by character: a slice of a long string keeps the whole string alive in V8.
      session.options = { ...session.options, contactName: `${[...name.slice(0, MAX_KEPT_NAME_CHARS - 1)].join('')}…` };
    }
    this.trim(session, MAX_CLOSED_SESSION_CHARS);
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
    const size = JSON.stringify(record).length;
    session.sizes.turns.push(size);
    session.sizes.total += size;
    this.trim(session, session.closed ? MAX_CLOSED_SESSION_CHARS : MAX_SESSION_CHARS);
    return record;
  }

  /**
   * Below the bound of live sessions before one more opens (the longest idle goes first), and below
   * the bound of closed ones kept (the longest closed are forgotten).
   */
  private makeRoom(now: number): void {
    const all = [...this.sessions.values()];
    all.forEach((session) => this.expire(session));
    const live = all.filter((session) => session.closed === null).sort((a, b) => a.lastActivityAt - b.lastActivityAt);
    for (const session of live.slice(0, Math.max(0, live.length - this.maxLive + 1))) {
      this.close(session, 'evicted', now);
    }
    const closed = all.filter((session) => session.closed !== null).sort((a, b) => (a.closed?.at ?? 0) - (b.closed?.at ?? 0));
    for (const session of closed.slice(0, Math.max(0, closed.length - MAX_CLOSED_SESSIONS))) {
      this.sessions.delete(session.id);
    }
  }

  private expire(session: SessionRecord): void {
    if (session.closed === null && this.clock() - session.lastActivityAt >= SESSION_IDLE_MS) {
      this.close(session, 'expired', session.lastActivityAt + SESSION_IDLE_MS);
    }
  }
}
