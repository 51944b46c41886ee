// Sandbox-only: mock sets for API_CALLs. A client registers one (`POST /sandbox/mocks`) and names
// it in a chat request's `?mocks=` query; that session's turns (or that one turn) are then answered
// from it, not from the network. Sarufi has no such route; the runner only uses it on the sandbox.
import { setCapped } from '../flow/cappedCache.js';
import { readMockSet } from '../flow/mocks.js';
import type { MockSet } from '../flow/mocks.js';
import { HttpError, notFound } from './httpKit.js';
import { MOCKS_PATH, MOCKS_QUERY } from './mockApi.js';
import type { Router } from './router.js';
import type { TurnOptions } from './turnProtocol.js';

/** Mock sets kept; a test run registers a few per test, so the oldest are long unused. */
const MOCK_SETS_KEPT = 1000;

export class MockRegistry {
  private readonly sets = new Map<string, MockSet>();

  constructor(private readonly newId: () => string) {}

  add(set: MockSet): string {
    const id = this.newId();
    setCapped(this.sets, id, set, MOCK_SETS_KEPT);
    return id;
  }

  /** The set a request names, undefined when it names none; a name that is unknown is a 400. */
  named(query: URLSearchParams): MockSet | undefined {
    const id = query.get(MOCKS_QUERY);
    if (id === null) {
      return undefined;
    }
    const set = this.sets.get(id);
    if (!set) {
      throw new HttpError(400, `No mock set "${id}": register it with POST ${MOCKS_PATH} first.`);
    }
    return set;
  }
}

/** A session's turn options, for the mocks it runs with; undefined when the sandbox has no such session. */
export type SessionOptionsOf = (chatbotId: string, sessionId: string) => TurnOptions | undefined;

export function registerMockRoutes(router: Router, registry: MockRegistry, optionsOf: SessionOptionsOf): void {
  // What a bug report writes as the chat's mocks, so that its replay answers as the chat did.
  router.add('GET', '/sandbox/chatbots/:chatbotId/sessions/:sessionId/mocks', ({ params }) => {
    const options = optionsOf(params.chatbotId ?? '', params.sessionId ?? '');
    if (!options) {
      throw notFound('Session');
    }
    return { status: 200, body: { mocks: options.mocks ?? null } };
  });

  router.add(
    'POST',
    MOCKS_PATH,
    ({ body }) => {
      let set: MockSet;
      try {
        set = readMockSet(body);
      } catch (error) {
        throw new HttpError(422, `The mock set is not valid: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { status: 201, body: { id: registry.add(set) } };
    },
    true,
  );
}
