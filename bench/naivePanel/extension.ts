// The Enter-to-reply bench's peer (bench/enterToReply.bench.ts builds it to out/bench/naivePanel/):
// the simplest chat panel doing Sarufi's round trip: a textarea, Enter posts to the host, the host
// calls the server and posts the reply, the page appends it. No transcript, storage or inspector.
import * as vscode from 'vscode';

const PAGE = `<!DOCTYPE html><html><body>
<div role="log" id="log"></div><textarea aria-label="Message"></textarea>
<script>
const api = acquireVsCodeApi();
const log = document.getElementById('log');
const box = document.querySelector('textarea');
box.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    api.postMessage(box.value);
    box.value = '';
  }
});
window.addEventListener('message', (event) => {
  for (const text of event.data) {
    log.append(Object.assign(document.createElement('p'), { textContent: text }));
  }
});
</script></body></html>`;

interface Reply {
  session_id: string;
  messages: { text?: string }[];
}

export function activate(context: vscode.ExtensionContext): void {
  const base = `${process.env.SARUFI_BENCH_SERVER ?? ''}/chatbots/bench/chat/sessions`;
  const call = async (path: string, body: object): Promise<Reply> => {
    const headers = { Authorization: `Bearer ${process.env.SARUFI_BENCH_KEY ?? ''}`, 'Content-Type': 'application/json' };
    return (await (await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as Reply;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('naiveChat.open', async () => {
      const panel = vscode.window.createWebviewPanel('naiveChat', 'Naive Chat', vscode.ViewColumn.One, { enableScripts: true });
      panel.webview.html = PAGE;
      const { session_id: session, messages } = await call('', {});
      panel.webview.onDidReceiveMessage(async (message: string) => {
        const reply = await call(`/${session}/messages`, { message });
        void panel.webview.postMessage(reply.messages.map((item) => item.text ?? ''));
      });
      void panel.webview.postMessage(messages.map((item) => item.text ?? ''));
    }),
  );
}
