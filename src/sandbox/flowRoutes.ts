// The Flows API over the catalog's in-memory copies (files on disk are never written).
import type { Flow, FlowList, FlowSummary, FlowType, PublishResult, ValidationResult } from '../sarufi/types.js';
import type { ChatbotRecord, FlowRecord } from './catalog.js';
import { publishFlow } from './catalog.js';
import { bodyObject, BodyChecker, HttpError, notFound } from './httpKit.js';
import type { Router } from './router.js';
import { nowIso, requireChatbot } from './sandboxContext.js';
import type { SandboxContext } from './sandboxContext.js';
import { analyzeFlow } from '../flow/validator.js';
import type { ValidateOptions } from '../flow/validator.js';
import { validateWithRegexSafety } from './regexSafetyCheck.js';

const FLOW_TYPES: readonly FlowType[] = ['conversation', 'meta'];
export const META_FLOW_WARNING = 'The sandbox does not check or run WhatsApp UI (meta) flows; only Sarufi can.';

function flowSummary(flow: FlowRecord): FlowSummary {
  return { id: flow.id, chatbot_id: flow.chatbotId, name: flow.name, type: flow.type, status: flow.status, created_at: flow.createdAt };
}

function flowDetail(flow: FlowRecord): Flow {
  return { ...flowSummary(flow), flow: flow.definition, updated_at: flow.updatedAt, published_at: flow.publishedAt };
}

function requireFlow(chatbot: ChatbotRecord, id: string | undefined): FlowRecord {
  const flow = id === undefined ? undefined : chatbot.flows.get(id);
  if (!flow) {
    throw notFound('Flow');
  }
  return flow;
}

export function registerFlowRoutes(router: Router, context: SandboxContext): void {
  const check = (flow: FlowRecord, options: ValidateOptions = {}) => {
    if (flow.type === 'meta') {
      return { model: null, errors: [], warnings: [{ path: '', message: META_FLOW_WARNING }] };
    }
    return analyzeFlow(flow.definition, { knownIntegrations: Object.keys(context.integrations()), ...options });
  };

  router.add('GET', '/chatbots/:chatbotId/flows', ({ params }) => {
    const chatbot = requireChatbot(context, params.chatbotId);
    const flows = [...chatbot.flows.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const body: FlowList = { items: flows.map(flowSummary), total: flows.length };
    return { status: 200, body };
  });

  router.add(
    'POST',
    '/chatbots/:chatbotId/flows',
    ({ params, body }) => {
      const checker = new BodyChecker(bodyObject(body));
      const name = checker.string('name', { required: true, minLength: 1 });
      const type = checker.oneOf('type', FLOW_TYPES, { required: true });
      const definition = checker.object('flow');
      checker.done();
      const chatbot = requireChatbot(context, params.chatbotId);
      const now = nowIso(context);
      const flow: FlowRecord = {
        id: context.newId(),
        chatbotId: chatbot.id,
        name: name ?? '',
        type: type ?? 'conversation',
        status: 'draft',
        definition: definition ?? {},
        live: null,
        fromFile: false,
        createdAt: now,
        updatedAt: now,
        publishedAt: null,
      };
      chatbot.flows.set(flow.id, flow);
      return { status: 201, body: flowDetail(flow) };
    },
    true,
  );

  router.add('GET', '/chatbots/:chatbotId/flows/:flowId', ({ params }) => ({
    status: 200,
    body: flowDetail(requireFlow(requireChatbot(context, params.chatbotId), params.flowId)),
  }));

  router.add(
    'PATCH',
    '/chatbots/:chatbotId/flows/:flowId',
    ({ params, body }) => {
      const checker = new BodyChecker(bodyObject(body));
      const name = checker.string('name', { minLength: 1 });
      const definition = checker.object('flow');
      checker.done();
      const flow = requireFlow(requireChatbot(context, params.chatbotId), params.flowId);
      // The live version stays what was published until the next publish.
      flow.name = name ?? flow.name;
      flow.definition = definition ?? flow.definition;
      flow.updatedAt = nowIso(context);
      return { status: 200, body: flowDetail(flow) };
    },
    true,
  );

  router.add('DELETE', '/chatbots/:chatbotId/flows/:flowId', ({ params }) => {
    const chatbot = requireChatbot(context, params.chatbotId);
    chatbot.flows.delete(requireFlow(chatbot, params.flowId).id);
    return { status: 204 };
  });

  router.add('POST', '/chatbots/:chatbotId/flows/:flowId/validate', async ({ params }) => {
    const flow = requireFlow(requireChatbot(context, params.chatbotId), params.flowId);
    // The regex warnings are judged in the regex worker: this thread answers every other request meanwhile.
    const { errors, warnings } = await validateWithRegexSafety((options) => check(flow, options));
    const body: ValidationResult = { valid: errors.length === 0, errors, warnings };
    return { status: 200, body };
  });

  router.add('POST', '/chatbots/:chatbotId/flows/:flowId/publish', ({ params }) => {
    const chatbot = requireChatbot(context, params.chatbotId);
    const flow = requireFlow(chatbot, params.flowId);
    const { model, errors } = check(flow);
    if (errors.length > 0) {
      const first = errors[0];
      throw new HttpError(
        422,
        `The flow has ${errors.length} error${errors.length === 1 ? '' : 's'} and cannot be published; first: ${first?.path || '(top level)'}: ${first?.message}`,
      );
    }
    const now = nowIso(context);
    publishFlow(chatbot, flow, model, now);
    const body: PublishResult = { id: flow.id, status: 'published', published_at: now };
    return { status: 200, body };
  });
}
