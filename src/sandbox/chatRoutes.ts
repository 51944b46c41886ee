// The Chat API: sessions on the "api" channel, run by the flow engine.
import { MAX_MESSAGE_LENGTH } from '../sarufi/endpoints.js';
import type { CreateSessionResponse, SendMessageResponse } from '../sarufi/types.js';
import { bodyObject, BodyChecker, HttpError, notFound } from './httpKit.js';
import type { Router } from './router.js';
import { nowIso, requireChatbot } from './sandboxContext.js';
import type { SandboxContext } from './sandboxContext.js';
import { MAX_LIVE_SESSIONS } from './sessions.js';
import type { SessionRecord } from './sessions.js';
import type { TurnOptions } from './turnProtocol.js';

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
  router.add('POST', '/chatbots/:chatbotId/chat/sessions', async ({ params, query }) => {
    const chatbot = requireChatbot(context, params.chatbotId);
    const flow = [...chatbot.flows.values()].find((candidate) => candidate.type === 'conversation' && candidate.status === 'published');
    if (!flow?.live) {
      const why = chatbot.fileProblem ? ` ${chatbot.fileProblem}` : '';
      throw new HttpError(400, `This chatbot has no published flow.${why}`);
    }
    const sessionId = context.newId();
    const options: TurnOptions = {
      chatbotId: chatbot.id,
      userId: sessionId,
      contactName: context.contactName,
      flowName: flow.name,
      integrations: context.integrations(),
      llm: context.catalog.llm,
    };
    const mocks = context.mocks.named(query);
    if (mocks) {
      options.mocks = mocks;
    }
    let greeting;
    try {
      greeting = await context.turns.run(flow.live, null, null, options);
    } catch (error) {
      throw processingFailed(error);
    }
    refuseHugeAnswer(greeting.messages);
    const session = context.sessions.open(chatbot.id, sessionId, flow.live, options, greeting);
    const body: CreateSessionResponse = {
      session_id: session.id,
      channel: 'api',
      created_at: new Date(session.createdAt).toISOString(),
      messages: greeting.messages,
    };
    return { status: 201, body };
  });

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
      const options = mocks ? { ...session.options, mocks } : session.options;
      const turn = await context.sessions.inTurn(session, async () => {
        // Checked in the queue: a message that waited behind an expiry or an eviction is too late.
        if (session.closed) {
          throw closedError(session);
        }
        let answer;
        try {
          answer = await context.turns.run(session.model, session.state, input, options);
        } catch (error) {
          throw processingFailed(error);
        }
        refuseHugeAnswer(answer.messages);
        context.sessions.recordTurn(session, input, answer, receivedAt);
        return answer;
      });
      const reply: SendMessageResponse = {
        session_id: session.id,
        messages: turn.messages,
        messages_count: turn.messages.length,
        current_state: turn.current_state,
        timestamp: nowIso(context),
      };
      return { status: 200, body: reply };
    },
    true,
  );
}
