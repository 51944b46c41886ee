// What of a flow file goes to Sarufi. Keys that exist for this machine only (the editor's
// `$schema`, local integrations with their base URLs and secret headers, the sandbox's chatbot
// name and notes) are removed; keys whose JSON spelling only the sandbox defines (Sarufi's docs
// name the triggers but not how they are written) are sent as written, and listed, so that the
// author can decide before pushing. See shared/sarufi-api.md, "Flow definition" and "Actions".
import { childPath, statePath } from './flowPaths.js';
import { isRecord } from './botMessages.js';

/** A key of the flow file, where it is and why it is named. */
export interface FlowKeyNote {
  path: string;
  why: string;
}

export interface SarufiFlow {
  /** The definition to send: the file's, without the local-only keys. */
  definition: Record<string, unknown>;
  /** What stayed on this machine. */
  removed: FlowKeyNote[];
  /** What is sent although only the sandbox defines its spelling. */
  sandboxSpellings: FlowKeyNote[];
}

const LOCAL_TOP_LEVEL: Record<string, string> = {
  $schema: "the editor's schema link",
  integrations: 'local integrations (base URLs and headers stay on this machine; Sarufi keeps its own, encrypted)',
  name: "the sandbox's chatbot name",
  description: "the sandbox's chatbot description",
  category: "the sandbox's chatbot category",
};
const LOCAL_STATE_KEYS: Record<string, string> = { description: 'a note for the editor' };

/** Keys whose spelling Sarufi does not document; the sandbox's own reading of them. */
const SANDBOX_TOP_LEVEL: Record<string, string> = {
  initial_state: 'the initial state (Sarufi marks it in the dashboard; its JSON spelling is not documented)',
  intents: "intents and their example phrases (the dashboard's; their JSON spelling is not documented)",
};
const SANDBOX_STATE_KEYS: Record<string, string> = {
  initial: 'the initial-state flag',
  save_input_as: "the sandbox's own answer variable (Sarufi stores an answer under the state's name)",
};
/** Documented: `default` (how-flows-work.mdx). The dashboard's other triggers have no documented JSON. */
const DOCUMENTED_TRIGGERS = new Set(['default']);
/** The fields each action type documents (api-call.mdx, how-flows-work.mdx, mcp-integration.mdx). */
const DOCUMENTED_ACTION_FIELDS: Record<string, readonly string[]> = {
  API_CALL: ['type', 'integration', 'path', 'url', 'method', 'headers', 'body', 'save_to', 'fire_and_forget', 'success_transition', 'failure_transition'],
  SEND_MESSAGE: ['type', 'message'],
  LLM_AGENT: ['type', 'name', 'system_prompt', 'tools'],
  // CONDITION's fields are not documented: the sandbox's `if`/`then`/`else` are its own.
  CONDITION: ['type'],
};

function noteActions(actions: unknown, path: string, notes: FlowKeyNote[]): void {
  if (!Array.isArray(actions)) {
    return;
  }
  actions.forEach((action, index) => {
    if (!isRecord(action) || typeof action.type !== 'string') {
      return;
    }
    const documented = DOCUMENTED_ACTION_FIELDS[action.type];
    for (const key of Object.keys(action)) {
      if (documented && !documented.includes(key)) {
        notes.push({ path: childPath(childPath(path, index), key), why: `a ${action.type} field the sandbox defines` });
      }
    }
  });
}

/** The state as sent, after noting what only the sandbox reads in it. */
function stateForSarufi(name: string, state: unknown, result: SarufiFlow): unknown {
  if (!isRecord(state)) {
    return state;
  }
  const path = statePath(name);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    const local = LOCAL_STATE_KEYS[key];
    if (local !== undefined) {
      result.removed.push({ path: childPath(path, key), why: local });
      continue;
    }
    const own = SANDBOX_STATE_KEYS[key];
    if (own !== undefined) {
      result.sandboxSpellings.push({ path: childPath(path, key), why: own });
    }
    out[key] = value;
  }
  if (isRecord(state.transitions)) {
    for (const trigger of Object.keys(state.transitions).filter((key) => !DOCUMENTED_TRIGGERS.has(key))) {
      result.sandboxSpellings.push({ path: childPath(childPath(path, 'transitions'), trigger), why: `the '${trigger}' trigger's JSON spelling` });
    }
  }
  noteActions(state.actions, childPath(path, 'actions'), result.sandboxSpellings);
  return out;
}

/** The flow as it goes to Sarufi (Push Flow, saving a `sarufi:` flow), and what changed or may be read differently. */
export function forSarufi(definition: Record<string, unknown>): SarufiFlow {
  const result: SarufiFlow = { definition: {}, removed: [], sandboxSpellings: [] };
  // The documented map of states, or the wrapped shape of flows.mdx's PATCH example.
  const wrapped = definition.states !== undefined;
  for (const [key, value] of Object.entries(definition)) {
    const local = LOCAL_TOP_LEVEL[key];
    if (local !== undefined) {
      result.removed.push({ path: key, why: local });
      continue;
    }
    const own = SANDBOX_TOP_LEVEL[key];
    if (own !== undefined) {
      result.sandboxSpellings.push({ path: key, why: own });
      result.definition[key] = value;
      continue;
    }
    if (!wrapped) {
      result.definition[key] = stateForSarufi(key, value, result);
    } else if (key === 'states' && isRecord(value)) {
      result.definition.states = Object.fromEntries(Object.entries(value).map(([name, state]) => [name, stateForSarufi(name, state, result)]));
    } else {
      result.definition[key] = value;
    }
  }
  return result;
}
