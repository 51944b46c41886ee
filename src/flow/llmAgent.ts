// LLM_AGENT in the sandbox. Sarufi runs the agent with its own model and MCP tools; the sandbox
// has neither, so it either answers with a stand-in that says so, or asks an OpenAI-compatible
// chat-completions endpoint that the author names in sarufi.sandbox.json. Never silence, never a
// crash: every failure becomes a labelled text.
import { fetchFollowingRedirects } from './apiCallRedirects.js';
import { childPath } from './flowPaths.js';
import { isRecord } from './botMessages.js';
import type { IssueCollector } from './flowPaths.js';
import type { LlmAgentAction } from './flowTypes.js';
import { parseJsonText } from '../sarufi/exchange.js';

export const DEFAULT_LLM_TIMEOUT_MS = 60_000;

/** sarufi.sandbox.json's `"llm": {"baseUrl": "http://127.0.0.1:11434/v1", "model": "…", "headers"?}`. */
export interface LlmEndpoint {
  /** Without the `/chat/completions` the sandbox appends. */
  baseUrl: string;
  model: string;
  headers?: Record<string, string>;
}

export interface AgentContext {
  endpoint: LlmEndpoint | null;
  /** The engine's bounded fetch, which hands redirects back to be followed here. */
  fetch: typeof fetch;
  timeoutMs: number;
}

function label(action: LlmAgentAction, what: string): string {
  return `[sandbox: LLM_AGENT${action.name === null ? '' : ` '${action.name}'`} ${what}]`;
}

function echo(input: string): string {
  return input === '' ? '' : ` Your message was: "${input}"`;
}

/** What the agent says when no model answers: a label nobody can take for a real answer. */
export function agentStandIn(action: LlmAgentAction, input: string): string {
  return `${label(action, 'has no model here')} Name an OpenAI-compatible endpoint under "llm" in sarufi.sandbox.json to get real answers.${echo(input)}`;
}

function completionText(body: unknown): string | null {
  const choices = isRecord(body) ? body.choices : undefined;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const message = isRecord(first) ? first.message : undefined;
  const content = isRecord(message) ? message.content : undefined;
  return typeof content === 'string' && content.trim() !== '' ? content : null;
}

/** The agent's answer to the user's latest message; never rejects. */
export async function agentReply(action: LlmAgentAction, input: string, context: AgentContext): Promise<string> {
  const endpoint = context.endpoint;
  if (endpoint === null) {
    return agentStandIn(action, input);
  }
  const messages = [
    ...(action.systemPrompt === null ? [] : [{ role: 'system', content: action.systemPrompt }]),
    { role: 'user', content: input },
  ];
  let why: string;
  try {
    // Redirects as for an API_CALL: llm.headers (often a key) do not follow one to another origin.
    const response = await fetchFollowingRedirects(context.fetch, `${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: new Headers({ ...endpoint.headers, 'Content-Type': 'application/json', Accept: 'application/json' }),
      body: JSON.stringify({ model: endpoint.model, messages }),
      signal: AbortSignal.timeout(context.timeoutMs),
    });
    // Read as text first: a body past the size bound must reach the catch below, not pass as no JSON.
    const text = response.ok ? completionText(parseJsonText(await response.text())) : null;
    if (text !== null) {
      return text;
    }
    why = response.ok ? 'the answer has no choices[0].message.content' : `HTTP ${response.status}`;
  } catch (error) {
    why = error instanceof Error ? error.message : String(error);
  }
  return `${label(action, `got no answer from ${endpoint.baseUrl}: ${why}`)}${echo(input)}`;
}

/** Reads sarufi.sandbox.json's `llm`; null when absent or broken (the problem is reported). */
export function readLlmEndpoint(value: unknown, path: string, issues: IssueCollector): LlmEndpoint | null {
  if (value === undefined) {
    return null;
  }
  const baseUrl = isRecord(value) ? (value.baseUrl ?? value.base_url) : undefined;
  if (!isRecord(value) || typeof baseUrl !== 'string' || !/^https?:\/\//i.test(baseUrl) || typeof value.model !== 'string') {
    issues.error(path, '\'llm\' needs "baseUrl" (an http(s) URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1) and "model".');
    return null;
  }
  const headers = value.headers;
  if (headers !== undefined && (!isRecord(headers) || Object.values(headers).some((header) => typeof header !== 'string'))) {
    issues.error(childPath(path, 'headers'), "'headers' must be an object of strings.");
    return null;
  }
  return { baseUrl, model: value.model, ...(headers === undefined ? {} : { headers: headers as Record<string, string> }) };
}
