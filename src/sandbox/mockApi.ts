// The client side of the sandbox's mock sets (mockRoutes.ts): the request that registers one and
// the query that names it, for the conversation-test runner and any sandbox chat with mocks.
import type { SarufiRequest } from '../sarufi/endpoints.js';
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
