// The shapes of Sarufi's developer API (see shared/sarufi-api.md). Shared by the client, the
// sandbox that imitates the service, and the webview that renders messages: no runtime code here.

// Bot messages belong to the flow language (src/flow/botMessages.ts); the Chat API's replies carry them.
import type { GenericMessage } from '../flow/botMessages.js';

export interface Workspace {
  id: string;
  name: string;
  plan: string;
  created_at: string;
}

export interface MeResponse {
  workspace: Workspace;
  api_key: { key: string; created_at: string; last_used_at: string | null };
}

/** A cursor-paginated list, as chatbots use it. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total: number;
}

export interface ChatbotSummary {
  id: string;
  name: string;
  description: string;
  is_active: boolean;
  created_at: string;
}

export interface Chatbot extends ChatbotSummary {
  workspace_id: string;
  category: string;
  /** A secret of the service: never display or log it. */
  webhook_secret?: string;
  updated_at: string;
}

export interface ChatbotStats extends Chatbot {
  stats: { total_conversations: number; total_messages: number; active_users_7d: number };
}

// ---- Chat API -------------------------------------------------------------------------------

export interface CreateSessionResponse {
  session_id: string;
  channel: string;
  created_at: string;
  messages: GenericMessage[];
}

export interface SendMessageRequest {
  message: string;
  message_type?: 'text' | 'button';
  button_id?: string | null;
}

export interface SendMessageResponse {
  session_id: string;
  messages: GenericMessage[];
  messages_count: number;
  current_state: string | null;
  timestamp: string;
}

// ---- Flows API ------------------------------------------------------------------------------

export type FlowType = 'conversation' | 'meta';
export type FlowStatus = 'draft' | 'published';

export interface FlowSummary {
  id: string;
  chatbot_id: string;
  name: string;
  type: FlowType;
  status: FlowStatus;
  created_at: string;
}

export interface Flow extends FlowSummary {
  flow: FlowDefinition;
  updated_at?: string;
  published_at?: string | null;
}

export interface FlowList {
  items: FlowSummary[];
  total: number;
}

export interface CreateFlowRequest {
  name: string;
  type: FlowType;
  flow?: FlowDefinition;
}

export interface UpdateFlowRequest {
  name?: string;
  flow?: FlowDefinition;
}

export interface FlowIssue {
  path: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: FlowIssue[];
  warnings: FlowIssue[];
}

export interface PublishResult {
  id: string;
  status: 'published';
  published_at: string;
}

/**
 * A flow definition: a map of state name to state, or the same map under a top-level `states`
 * key. Kept loose here; the sandbox's engine defines and validates the details.
 */
export type FlowDefinition = Record<string, unknown>;

// ---- Conversations API ----------------------------------------------------------------------

export type ConversationStatus = 'ACTIVE' | 'CLOSED' | 'ARCHIVED' | 'HANDOFF_PENDING' | 'AGENT_ACTIVE';

export interface Conversation {
  id: string;
  chatbot_id: string;
  user_phone: string | null;
  contact_name: string | null;
  channel: string;
  status: ConversationStatus | string;
  last_message_id: string | null;
  last_message_at: string | null;
  last_message_preview: string | null;
  unread_count: number;
  created_at: string;
  updated_at: string;
  /** Only on an older published shape of the API. */
  current_state?: string | null;
  session_data?: Record<string, unknown>;
}

export interface ConversationList {
  count: number;
  conversations: Conversation[];
  next_cursor: string | null;
}

export interface ConversationMessage {
  id: string;
  conversation_id: string;
  message: Record<string, unknown> | null;
  response: Record<string, unknown> | null;
  message_type: string;
  responder: 'BOT' | 'HUMAN' | string;
  received_at: string | null;
  responded_at: string | null;
  status: string;
  created_at: string;
}

export interface ConversationMessageList {
  count: number;
  messages: ConversationMessage[];
  next_cursor: string | null;
}

export interface ConversationQuery {
  status?: string;
  channel?: string;
  start_time?: string;
  end_time?: string;
  limit?: number;
  cursor?: string;
}

/** The body of every error the service returns. */
export interface ErrorBody {
  detail: string | { loc: (string | number)[]; msg: string; type: string }[];
}
