// Every Sarufi endpoint as a plain description: method, path (ids encoded), query, body, the
// words that name it in messages, and how to read its answer. SarufiClient#call sends any of
// them and returns `{data, exchange}`; the client's named methods are thin wrappers. Requests
// the client must refuse (an empty id, an empty or over-long message) carry the refusal here,
// so that it is reported by `call` like any other failure, before anything is sent.

import { refusal } from './errors.js';
import type { SarufiError, SarufiErrorKind } from './errors.js';
import type { HttpMethod } from './exchange.js';
import type { SandboxSessionRequest } from './sandboxExtensions.js';
import {
  readChatbot,
  readChatbotPage,
  readChatbotStats,
  readConversation,
  readConversationList,
  readConversationMessages,
  readCreateSession,
  readFlow,
  readFlowList,
  readMe,
  readPublish,
  readSendMessage,
  readValidation,
} from './shapes.js';
import type {
  Chatbot,
  ChatbotStats,
  ChatbotSummary,
  Conversation,
  ConversationList,
  ConversationMessageList,
  ConversationQuery,
  CreateFlowRequest,
  CreateSessionResponse,
  Flow,
  FlowList,
  MeResponse,
  Page,
  PublishResult,
  SendMessageRequest,
  SendMessageResponse,
  UpdateFlowRequest,
  ValidationResult,
} from './types.js';

/** The most characters a chat message may have (the API's documented limit). */
export const MAX_MESSAGE_LENGTH = 4096;

/** A Chat API session expires after this long without a message (contract, "Lifecycle"). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

export type QueryValue = string | number | undefined | null;

export interface SarufiRequest<T> {
  method: HttpMethod;
  /** Below the base URL, starting with '/', ids already encoded. */
  path: string;
  /** Entries that are undefined, null or '' are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON when defined. */
  body?: unknown;
  /** What the call does, fitting "Sarufi could not …": 'start a chat session'. */
  action: string;
  /** Turns the parsed JSON of a 2xx answer into T; throws ShapeError on a wrong shape. */
  read: (json: unknown) => T;
  /** False for answers without a body worth reading (DELETE's 204). */
  expectsBody: boolean;
  /** Statuses that mean something else on this endpoint (404 on a chat session = it ended). */
  statusKinds?: Partial<Record<number, SarufiErrorKind>>;
  /** Advice added to the message of some kinds. */
  hints?: Partial<Record<SarufiErrorKind, string>>;
  /** Set when the request must not be sent at all. */
  refusal?: SarufiError;
}

export interface PageParams {
  limit?: number;
  cursor?: string;
}

export interface MessagePageParams {
  limit?: number;
  cursor?: string;
}

/** An id that goes into a path, with the words that name it in a refusal. */
interface PathId {
  value: string;
  label: string;
}

function id(value: string, label: string): PathId {
  return { value, label };
}

/**
 * Joins literal path parts and ids, encoding each id (so "a/b" stays one segment). An id that
 * is empty, or is "." or ".." (which URL parsers would resolve even when percent-encoded),
 * yields a refusal instead.
 */
function route(action: string, ...parts: (string | PathId)[]): { path: string; refusal?: SarufiError } {
  let path = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      path += part;
      continue;
    }
    const value = typeof part.value === 'string' ? part.value : String(part.value);
    if (value.trim() === '' || value === '.' || value === '..') {
      const shown = value.trim() === '' ? 'empty' : `"${value}", which is not an id`;
      return {
        path,
        refusal: refusal(`${part.label} is ${shown}`, `Cannot ${action}: the ${part.label} is ${shown}. Pick one from the list and try again.`),
      };
    }
    path += `/${encodeURIComponent(value)}`;
  }
  return { path };
}

function get<T>(action: string, routed: { path: string; refusal?: SarufiError }, read: (json: unknown) => T, query?: Record<string, QueryValue>): SarufiRequest<T> {
  return { method: 'GET', ...routed, query, action, read, expectsBody: true };
}

/** Sarufi's limit counts characters as Python does (code points), not UTF-16 units. */
export function characterCount(text: string): number {
  const surrogatePairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
  return text.length - (surrogatePairs === null ? 0 : surrogatePairs.length);
}

function checkMessage(request: SendMessageRequest): SarufiError | undefined {
  const message: unknown = request.message;
  if (typeof message !== 'string' || message.trim() === '') {
    return refusal('empty message', 'The message is empty, so nothing was sent. Type some text and send again.');
  }
  const count = characterCount(message);
  if (count > MAX_MESSAGE_LENGTH) {
    const shown = count.toLocaleString('en-US');
    return refusal(
      `message has ${count} characters; the limit is ${MAX_MESSAGE_LENGTH}`,
      `The message has ${shown} characters; Sarufi accepts at most 4,096, so nothing was sent. Shorten it and send again.`,
    );
  }
  return undefined;
}

/** The body of a chat message: with a button id it is a button click, whatever else was said. */
function messageBody(request: SendMessageRequest): Record<string, unknown> {
  const buttonId = request.button_id;
  if (buttonId !== undefined && buttonId !== null && buttonId !== '') {
    return { message: request.message, message_type: 'button', button_id: buttonId };
  }
  return { message: request.message, message_type: request.message_type ?? 'text' };
}

export const endpoints = {
  me(): SarufiRequest<MeResponse> {
    return get('check the API key', { path: '/me' }, readMe);
  },

  listChatbots(params: PageParams = {}): SarufiRequest<Page<ChatbotSummary>> {
    return get('list chatbots', { path: '/chatbots' }, readChatbotPage, { limit: params.limit, cursor: params.cursor });
  },

  getChatbot(chatbotId: string): SarufiRequest<Chatbot> {
    const action = 'load the chatbot';
    return get(action, route(action, '/chatbots', id(chatbotId, 'chatbot id')), readChatbot);
  },

  getChatbotStats(chatbotId: string): SarufiRequest<ChatbotStats> {
    const action = "load the chatbot's statistics";
    return get(action, route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/stats'), readChatbotStats);
  },

  /** `request` is the local sandbox's own extension (a fork, a start state, a persona): sent only when given, as Sarufi takes no body. */
  createSession(chatbotId: string, request?: SandboxSessionRequest): SarufiRequest<CreateSessionResponse> {
    const action = 'start a chat session';
    return {
      method: 'POST',
      ...route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/chat/sessions'),
      ...(request === undefined ? {} : { body: request }),
      action,
      read: readCreateSession,
      expectsBody: true,
      hints: { 'bad-request': 'The chatbot may have no published flow: publish one, then start the chat again.' },
    };
  },

  sendMessage(chatbotId: string, sessionId: string, request: SendMessageRequest): SarufiRequest<SendMessageResponse> {
    const action = 'send the message';
    const routed = route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/chat/sessions', id(sessionId, 'session id'), '/messages');
    return {
      method: 'POST',
      ...routed,
      refusal: routed.refusal ?? checkMessage(request),
      body: messageBody(request),
      action,
      read: readSendMessage,
      expectsBody: true,
      // The docs do not say whether an expired session answers 404 or 410: both mean "start again".
      statusKinds: { 404: 'session-closed' },
      hints: {
        'session-closed': 'Sessions end after 30 minutes without a message.',
      },
    };
  },

  listFlows(chatbotId: string): SarufiRequest<FlowList> {
    const action = 'list flows';
    return get(action, route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/flows'), readFlowList);
  },

  getFlow(chatbotId: string, flowId: string): SarufiRequest<Flow> {
    const action = 'load the flow';
    return get(action, route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/flows', id(flowId, 'flow id')), readFlow);
  },

  createFlow(chatbotId: string, request: CreateFlowRequest): SarufiRequest<Flow> {
    const action = 'create the flow';
    return {
      method: 'POST',
      ...route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/flows'),
      body: request,
      action,
      read: readFlow,
      expectsBody: true,
    };
  },

  updateFlow(chatbotId: string, flowId: string, request: UpdateFlowRequest): SarufiRequest<Flow> {
    const action = 'update the flow';
    return {
      method: 'PATCH',
      ...route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/flows', id(flowId, 'flow id')),
      body: request,
      action,
      read: readFlow,
      expectsBody: true,
    };
  },

  validateFlow(chatbotId: string, flowId: string): SarufiRequest<ValidationResult> {
    const action = 'validate the flow';
    return {
      method: 'POST',
      ...route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/flows', id(flowId, 'flow id'), '/validate'),
      action,
      read: readValidation,
      expectsBody: true,
    };
  },

  publishFlow(chatbotId: string, flowId: string): SarufiRequest<PublishResult> {
    const action = 'publish the flow';
    return {
      method: 'POST',
      ...route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/flows', id(flowId, 'flow id'), '/publish'),
      action,
      read: readPublish,
      expectsBody: true,
      hints: {
        'bad-request': 'Publishing is refused while the flow has errors: validate it and fix them first.',
        validation: 'Publishing is refused while the flow has errors: validate it and fix them first.',
      },
    };
  },

  deleteFlow(chatbotId: string, flowId: string): SarufiRequest<void> {
    const action = 'delete the flow';
    return {
      method: 'DELETE',
      ...route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/flows', id(flowId, 'flow id')),
      action,
      read: () => undefined,
      expectsBody: false,
    };
  },

  listConversations(chatbotId: string, query: ConversationQuery = {}): SarufiRequest<ConversationList> {
    const action = 'list conversations';
    return get(action, route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/conversations'), readConversationList, {
      status: query.status,
      channel: query.channel,
      start_time: query.start_time,
      end_time: query.end_time,
      limit: query.limit,
      cursor: query.cursor,
    });
  },

  getConversation(chatbotId: string, conversationId: string): SarufiRequest<Conversation> {
    const action = 'load the conversation';
    return get(
      action,
      route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/conversations', id(conversationId, 'conversation id')),
      (json) => readConversation(json),
    );
  },

  listConversationMessages(chatbotId: string, conversationId: string, params: MessagePageParams = {}): SarufiRequest<ConversationMessageList> {
    const action = "load the conversation's messages";
    return get(
      action,
      route(action, '/chatbots', id(chatbotId, 'chatbot id'), '/conversations', id(conversationId, 'conversation id'), '/messages'),
      readConversationMessages,
      { limit: params.limit, cursor: params.cursor },
    );
  },
};
