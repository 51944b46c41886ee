// The Chat API: sessions on the "api" channel, run by the flow engine.
import { MAX_MESSAGE_LENGTH } from '../sarufi/endpoints.js';
import type { CreateSessionResponse, SendMessageResponse } from '../sarufi/types.js';
import type { ConversationSnapshot } from '../flow/engine.js';
import type { FlowModel } from '../flow/flowTypes.js';
import { buildTurnTrace, TRACE_FIELD } from '../flow/turnTrace.js';
import type { TurnTrace } from '../flow/turnTrace.js';
import type { SessionStart } from '../sarufi/sandboxExtensions.js';
import { bodyObject, BodyChecker, HttpError, notFound } from './httpKit.js';
import type { Router } from './router.js';
import { nowIso, requireChatbot } from './sandboxContext.js';
import type { SandboxContext } from './sandboxContext.js';
import { readSessionRequest } from './sessionRequest.js';
import { MAX_LIVE_SESSIONS, MAX_SESSION_CHARS, MAX_SNAPSHOTS_PER_SESSION } from './sessions.js';
import type { SessionRecord } from './sessions.js';
import type { TurnAnswer, TurnOptions } from './turnProtocol.js';

/** What the sandbox adds to a reply (README, "The sandbox's additions to the Chat API"). */
interface SandboxReplyExtras {
  [TRACE_FIELD]?: TurnTrace;
}

/** What it adds to a greeting: the trace, and where a session that did not start at the top stands. */
interface SandboxGreetingExtras extends SandboxReplyExtras {
  current_state?: string;
}

interface ForkSource {
  session: SessionRecord;
  turn: number;
  snapshot: ConversationSnapshot;
}

/** The session and turn a fork starts from; a 404 or 400 that says what is missing, and that a restart loses sessions. */
function forkSource(context: SandboxContext, chatbotId: string, start: Extract<SessionStart, { kind: 'fork' }>): ForkSource {
  const session = context.sessions.find(chatbotId, start.sessionId);
  if (!session) {
    throw new HttpError(
      404,
      `Cannot fork: this sandbox has no session "${start.sessionId}" of this chatbot. Sessions live in the sandbox's memory, so a sandbox restart loses them; replay the inputs in a new session instead.`,
    );
  }
  const snapshot = session.snapshots.get(start.turn);
  if (snapshot) {
    return { session, turn: start.turn, snapshot };
  }
  const latest = session.nextTurn - 1;
  if (start.turn > latest) {
    throw new HttpError(400, `Cannot fork: session "${start.sessionId}" has no turn ${start.turn} yet; its latest is turn ${latest}.`);
  }
  if (session.closed?.reason === 'evicted') {
    throw new HttpError(404, `Cannot fork: session "${start.sessionId}" was closed to make room for newer sessions, and its turns went with it; replay the inputs in a new session instead.`);
  }
  if (session.closed?.reason === 'expired') {
    throw new HttpError(404, `Cannot fork: session "${start.sessionId}" expired after 30 minutes without a message, and its turns went with it; replay the inputs in a new session instead.`);
  }
  throw new HttpError(
    404,
    `Cannot fork: turn ${start.turn} of session "${start.sessionId}" is no longer kept (the sandbox keeps the last ${MAX_SNAPSHOTS_PER_SESSION} turns of a session, fewer when they hold more than ${MAX_SESSION_CHARS} characters); replay the inputs in a new session instead.`,
  );
}

/** A fork runs nothing: it stands where the turn left its session, with no messages, and a trace of no events. */
function forkGreeting(context: SandboxContext, model: FlowModel, source: ForkSource, contactName: string | undefined): TurnAnswer {
  const snapshot = structuredClone(source.snapshot);
  if (!model.states.has(snapshot.current)) {
    throw new HttpError(400, `Cannot fork: the flow no longer has the state "${snapshot.current}" that turn ${source.turn} ended in; its states are ${listStates(model)}.`);
  }
  if (contactName !== undefined) {
    snapshot.variables.contact_name = contactName;
  }
  const trace = context.trace
    ? buildTurnTrace({ turn: source.turn, from: snapshot.current, to: snapshot.current, events: [], before: snapshot.variables, after: snapshot.variables })
    : undefined;
  return { messages: [], current_state: snapshot.current, snapshot, ...(trace === undefined ? {} : { trace }) };
}

/** The states of a flow for an error message, the first few only. */
function listStates(model: FlowModel): string {
  const names = [...model.states.keys()];
  const shown = names.slice(0, 20).map((name) => `"${name}"`).join(', ');
  return names.length > 20 ? `${shown} and ${names.length - 20} more` : shown;
}

/** Only expiry and eviction close a session: Sarufi documents no end state (a dead-end state just stays). */
function closedError(session: SessionRecord): HttpError {
  if (session.closed?.reason === 'evicted') {
    return new HttpError(
      410,
      `This session was closed to make room: the sandbox keeps at most ${MAX_LIVE_SESSIONS} live sessions and closes the one idle the longest first. Start a new session.`,
    );
  }
  return new HttpError(410, 'This session expired after 30 minutes without a message. Start a new session.');
}

/** The most characters the messages of one answer may hold, however many bounded templates made them. */
export const MAX_ANSWER_CHARS = 1_000_000;

function refuseHugeAnswer(messages: unknown[]): void {
  if (JSON.stringify(messages).length > MAX_ANSWER_CHARS) {
    throw new HttpError(
      500,
      `Message processing failed: the flow's answer holds more than ${MAX_ANSWER_CHARS} characters; send fewer or shorter messages.`,
    );
  }
}

function processingFailed(error: unknown): HttpError {
  return new HttpError(500, `Message processing failed: ${error instanceof Error ? error.message : String(error)}`);
}

export function registerChatRoutes(router: Router, context: SandboxContext): void {
  router.add(
    'POST',
    '/chatbots/:chatbotId/chat/sessions',
    async ({ params, query, body }) => {
      const request = readSessionRequest(body);
      const chatbot = requireChatbot(context, params.chatbotId);
      const flow = [...chatbot.flows.values()].find((candidate) => candidate.type === 'conversation' && candidate.status === 'published');
      if (!flow?.live) {
        const why = chatbot.fileProblem ? ` ${chatbot.fileProblem}` : '';
        throw new HttpError(400, `This chatbot has no published flow.${why}`);
      }
      const model = flow.live;
      const start = request.start;
      const source = start?.kind === 'fork' ? forkSource(context, chatbot.id, start) : null;
      const sessionId = context.newId();
      // A fork goes on as the same user: its source's persona, with the fields this request names on top.
      const persona = request.persona === undefined ? (source?.session.persona ?? null) : { ...source?.session.persona, ...request.persona };
      const from = source?.session.options;
      const startVariables = start?.kind === 'state' ? start.variables : {};
      const channel = persona?.channel ?? from?.channel;
      const language = persona?.language ?? from?.language;
      const options: TurnOptions = {
        chatbotId: chatbot.id,
        userId: persona?.userId ?? from?.userId ?? sessionId,
        // A name given in the start form's variables counts, unless the persona names one.
        contactName:
          persona?.contactName ?? from?.contactName ?? (typeof startVariables.contact_name === 'string' ? startVariables.contact_name : context.contactName),
        ...(channel === undefined ? {} : { channel }),
        ...(language === undefined ? {} : { language }),
        flowName: flow.name,
        integrations: context.integrations(),
        llm: context.catalog.llm,
      };
      // A fork keeps the mocks its session had, unless this request names others.
      const named = context.mocks.named(query);
      if (named) {
        options.mocks = named;
      } else if (source?.session.options.mocks) {
        options.mocks = source.session.options.mocks;
        options.unmockedGoOut = source.session.options.unmockedGoOut;
      } else if (context.catalog.mocks) {
        // sarufi.sandbox.json's mocks answer what they name; the other calls still go out.
        options.mocks = context.catalog.mocks;
        options.unmockedGoOut = true;
      }
      let greeting: TurnAnswer;
      let turn = 0;
      if (source) {
        turn = source.turn;
        greeting = forkGreeting(context, model, source, request.persona?.contactName);
      } else {
        if (start?.kind === 'state' && !model.states.has(start.state)) {
          throw new HttpError(400, `Bad session request: the flow "${flow.name}" has no state "${start.state}"; its states are ${listStates(model)}.`);
        }
        try {
          greeting = await context.turns.run(model, null, null, options, {
            traceTurn: context.trace ? 0 : null,
            start: start?.kind === 'state' ? { state: start.state, variables: start.variables } : null,
          });
        } catch (error) {
          throw processingFailed(error);
        }
      }
      refuseHugeAnswer(greeting.messages);
      const session = context.sessions.open(chatbot.id, sessionId, model, options, greeting, { turn, persona });
      const response: CreateSessionResponse & SandboxGreetingExtras = {
        session_id: session.id,
        channel: 'api',
        created_at: new Date(session.createdAt).toISOString(),
        messages: greeting.messages,
        // Sarufi's greeting has no current_state; a session that starts elsewhere says where it stands.
        ...(start === undefined ? {} : { current_state: greeting.current_state }),
        ...(greeting.trace === undefined ? {} : { [TRACE_FIELD]: greeting.trace }),
      };
      return { status: 201, body: response };
    },
    'optional',
  );

  router.add(
    'POST',
    '/chatbots/:chatbotId/chat/sessions/:sessionId/messages',
    async ({ params, query, body }) => {
      const checker = new BodyChecker(bodyObject(body));
      const message = checker.string('message', { required: true, maxLength: MAX_MESSAGE_LENGTH });
      checker.oneOf('message_type', ['text', 'button']);
      const buttonId = checker.string('button_id', { nullable: true });
      checker.done();

      const chatbot = requireChatbot(context, params.chatbotId);
      const session = context.sessions.find(chatbot.id, params.sessionId ?? '');
      if (!session) {
        throw notFound('Session');
      }
      const receivedAt = context.clock();
      const input = { message: message ?? '', button_id: buttonId ?? null };
      // A turn may name its own mocks (a test step's override); otherwise the session's hold.
      const mocks = context.mocks.named(query);
      const options = mocks ? { ...session.options, mocks, unmockedGoOut: false } : session.options;
      const turn = await context.sessions.inTurn(session, async () => {
        // Checked in the queue: a message that waited behind an expiry or an eviction is too late.
        if (session.closed) {
          throw closedError(session);
        }
        let answer;
        try {
          answer = await context.turns.run(session.model, session.state, input, options, { traceTurn: context.trace ? session.nextTurn : null });
        } catch (error) {
          throw processingFailed(error);
        }
        refuseHugeAnswer(answer.messages);
        context.sessions.recordTurn(session, input, answer, receivedAt);
        return answer;
      });
      const reply: SendMessageResponse & SandboxReplyExtras = {
        session_id: session.id,
        messages: turn.messages,
        messages_count: turn.messages.length,
        current_state: turn.current_state,
        timestamp: nowIso(context),
        ...(turn.trace === undefined ? {} : { [TRACE_FIELD]: turn.trace }),
      };
      return { status: 200, body: reply };
    },
    true,
  );
}
