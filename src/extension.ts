// Wires the extension's pieces together; the logic lives in src/host, src/chat, src/sarufi and src/sandbox.
import * as vscode from 'vscode';
import { ChatPanel } from './host/chatPanel.js';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('sarufi.startChat', () => {
      const chat = ChatPanel.create(context.extensionUri, 'Sarufi Chat');
      context.subscriptions.push(chat);
      return chat.whenReady();
    }),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
