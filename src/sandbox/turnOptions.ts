// A session's turn options as the engine takes them, shared by the turn worker and the debug worker.
import { boundedFetch } from '../flow/boundedFetch.js';
import type { ConversationOptions } from '../flow/engine.js';
import type { FlowModel } from '../flow/flowTypes.js';
import { createMockFetch, integrationsWithMocks } from '../flow/mocks.js';
import type { MockedCall } from '../flow/mocks.js';
import type { TurnOptions } from './turnProtocol.js';

/** With mocks, the engine's fetch is the mocks': an API_CALL (or LLM_AGENT) never reaches the network. */
export function conversationOptions(options: TurnOptions, model: FlowModel, unmocked: MockedCall[]): ConversationOptions {
  const { mocks, unmockedGoOut, ...rest } = options;
  if (!mocks) {
    return rest;
  }
  const integrations = integrationsWithMocks(mocks, { ...model.integrations, ...rest.integrations });
  return { ...rest, integrations, fetch: createMockFetch(mocks, integrations, (call) => unmocked.push(call), unmockedGoOut ? boundedFetch : undefined) };
}

