// Sarufi: Start Chat: pick the environment's chatbot, open a panel on a new session.
import * as vscode from 'vscode';
import type { ChatbotSummary } from '../../sarufi/types.js';
import { collectAll } from '../../sarufi/client.js';
import type { SarufiClient } from '../../sarufi/client.js';
import type { OpenedChat } from '../chatPanel.js';
import type { ChatPanels } from '../chatPanels.js';
import { createClient } from '../clients.js';
import type { Environment, Environments } from '../environments.js';
import { readSettings } from '../settings.js';

const RECENT_KEY = 'sarufi.recentChatbots';

export interface StartChatDeps {
  environments: Environments;
  panels: ChatPanels;
  log: vscode.LogOutputChannel;
  globalState: vscode.Memento;
}

export interface StartChatArgs {
  chatbotId?: string;
}

interface ChatbotItem extends vscode.QuickPickItem {
  chatbot: ChatbotSummary;
}

export async function startChat(deps: StartChatDeps, args: StartChatArgs = {}): Promise<OpenedChat | undefined> {
  const environment = await chooseEnvironment(deps.environments);
  if (!environment?.apiKey) {
    return undefined;
  }
  const client = createClient(environment.baseUrl, environment.apiKey, deps.log);
  const chatbotId = args.chatbotId ?? readSettings().chatbotId;
  let chatbot: ChatbotSummary | undefined;
  try {
    chatbot = chatbotId ? await client.getChatbot(chatbotId) : await pickChatbot(client, environment, deps.globalState);
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (!chatbot) {
    return undefined;
  }
  const recent = deps.globalState.get<string[]>(RECENT_KEY, []).filter((id) => id !== chatbot.id);
  await deps.globalState.update(RECENT_KEY, [chatbot.id, ...recent].slice(0, 20));
  return deps.panels.open({
    chatbotId: chatbot.id,
    chatbotName: chatbot.name,
    environmentId: environment.id,
    environment: environment.label,
    baseUrl: environment.baseUrl,
  }).opened;
}

/** The selected environment; with no key for it, offers the sandbox (so a fresh install works offline). */
async function chooseEnvironment(environments: Environments): Promise<Environment | undefined> {
  let environment: Environment;
  try {
    environment = await environments.resolve();
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (environment.apiKey) {
    return environment;
  }
  const sandbox = 'Use the Local Sandbox';
  const setKey = 'Set API Key';
  const choice = await vscode.window.showWarningMessage(
    `No API key is set for ${environment.label} (${environment.baseUrl}). Set one, or chat with the flow files of this workspace in the local sandbox.`,
    sandbox,
    setKey,
  );
  if (choice === sandbox) {
    return environments.resolve('sandbox');
  }
  if (choice === setKey && (await vscode.commands.executeCommand('sarufi.setApiKey'))) {
    return environments.resolve(environment.id);
  }
  return undefined;
}

async function pickChatbot(client: SarufiClient, environment: Environment, globalState: vscode.Memento): Promise<ChatbotSummary | undefined> {
  const chatbots = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Loading chatbots from ${environment.label}…`, cancellable: false },
    () => collectAll(client.allChatbots()),
  );
  if (chatbots.length === 0) {
    const hint = environment.id === 'sandbox' ? ' Add a *.flow.json file to the workspace: see the examples folder.' : ' Create one in the Sarufi dashboard.';
    void vscode.window.showInformationMessage(`${environment.label} has no chatbots.${hint}`);
    return undefined;
  }
  const recent = globalState.get<string[]>(RECENT_KEY, []);
  const rank = (id: string) => {
    const index = recent.indexOf(id);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const items: ChatbotItem[] = chatbots
    .slice()
    .sort((a, b) => rank(a.id) - rank(b.id) || a.name.localeCompare(b.name))
    .map((chatbot) => ({
      chatbot,
      label: chatbot.name,
      description: rank(chatbot.id) === Number.MAX_SAFE_INTEGER ? chatbot.id : `recently used · ${chatbot.id}`,
      detail: chatbot.description || undefined,
    }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Sarufi: Start Chat (${environment.label})`,
    placeHolder: 'Pick a chatbot to chat with',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.chatbot;
}
