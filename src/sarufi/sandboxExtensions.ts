// What the local sandbox adds to Sarufi's Chat API, as the client, the sandbox and the panel share
// it. Sarufi's `POST …/chat/sessions` takes no body and its answers have no such fields: the panel
// uses these only with the sandbox, and says so on Sarufi (README, "The sandbox's additions").
import type { Variables } from '../flow/template.js';

/** Who the author chats as: the sandbox puts it in `contact_name` and the X-Sarufi-* headers it sends to backends. */
export interface Persona {
  /** `contact_name`, and X-Sarufi-User-Name. */
  contactName?: string;
  /** X-Sarufi-User-Id: a phone number on WhatsApp. Default: the session id. */
  userId?: string;
  /** X-Sarufi-Channel: whatsapp, web, ussd, sms or api (the default). */
  channel?: string;
  /** X-Sarufi-Language (the sandbox's own header; Sarufi documents none). */
  language?: string;
}

/** The channels a persona may name: those Sarufi's X-Sarufi-Channel header documents. */
export const PERSONA_CHANNELS = ['whatsapp', 'web', 'ussd', 'sms', 'api'] as const;

/** Where a new sandbox session begins, instead of the flow's initial state. */
export type SessionStart =
  /** Exactly where another session stood after one of its turns (its state and variables): nothing runs again. */
  | { kind: 'fork'; sessionId: string; turn: number }
  /** Enters `state` as a greeting would (its actions and messages run), with these variables. */
  | { kind: 'state'; state: string; variables: Variables }
  /**
   * Stands in `state` with these variables, as turn `turn` of a session the sandbox lost (it was
   * restarted, or VS Code reloaded) left it: nothing runs, as in a fork.
   */
  | { kind: 'resume'; state: string; variables: Variables; turn: number };

/** The body the sandbox accepts on `POST /chatbots/{id}/chat/sessions` (Sarufi sends none). */
export interface SandboxSessionRequest {
  persona?: Persona;
  start?: SessionStart;
}
