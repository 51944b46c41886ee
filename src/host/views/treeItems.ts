// Small builders for the tree items every view uses: messages, errors and "load more".
import * as vscode from 'vscode';

export function messageItem(label: string, icon = 'info', tooltip?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = 'message';
  if (tooltip) {
    item.tooltip = tooltip;
  }
  return item;
}

/** A failed read, in the plain words of the SarufiError, with the fix in the tooltip. */
export function errorItem(error: unknown): vscode.TreeItem {
  const text = error instanceof Error ? error.message : String(error);
  const item = messageItem(text.split('. ')[0] ?? text, 'error', text);
  item.contextValue = 'error';
  return item;
}
