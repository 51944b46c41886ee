// The client side of the sandbox's mock sets (mockRoutes.ts): the request that registers one and
// the query that names it, for the conversation-test runner and any sandbox chat with mocks.
import type { SarufiRequest } from '../sarufi/endpoints.js';
import { readMockSet } from '../flow/mocks.js';
import type { MockSet } from '../flow/mocks.js';
import { ShapeError } from '../sarufi/shapes.js';

export const MOCKS_PATH = '/sandbox/mocks';
/** The query parameter of a chat request that names a registered mock set. */
export const MOCKS_QUERY = 'mocks';

export function registerMocks(set: MockSet): SarufiRequest<string> {
  return {
    method: 'POST',
    path: MOCKS_PATH,
    body: set,
    action: 'register mocks with the sandbox',
    expectsBody: true,
    read: (json) => {
      const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
      if (typeof id !== 'string') {
        throw new ShapeError('the sandbox answered without a mock set id');
      }
      return id;
    },
  };
}

/** `request` naming the mock set `id`, which the sandbox then answers its API_CALLs from. */
export function withMocks<T>(request: SarufiRequest<T>, id: string | null): SarufiRequest<T> {
  return id === null ? request : { ...request, query: { ...request.query, [MOCKS_QUERY]: id } };
}

/** Where the sandbox says which mocks a chat session runs with (sarufi.sandbox.json's, a fork's, or a test's). */
export function sessionMocksPath(chatbotId: string, sessionId: string): string {
  return `/sandbox/chatbots/${encodeURIComponent(chatbotId)}/sessions/${encodeURIComponent(sessionId)}/mocks`;
}

/** The mocks a sandbox chat session runs with; null when it runs without. Sandbox-only, like MOCKS_PATH. */
export function sessionMocks(chatbotId: string, sessionId: string): SarufiRequest<MockSet | null> {
  return {
    method: 'GET',
    path: sessionMocksPath(chatbotId, sessionId),
    action: 'read the mocks of a sandbox chat',
    expectsBody: true,
    read: (json) => {
      const mocks = typeof json === 'object' && json !== null ? (json as { mocks?: unknown }).mocks : undefined;
      if (mocks === null) {
        return null;
      }
      try {
        return readMockSet(mocks);
      } catch (error) {
        throw new ShapeError(`the sandbox answered mocks that are not a mock set: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
