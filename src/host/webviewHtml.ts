// Builds a webview page under the strict CSP of the design: nothing inline, scripts only by nonce,
// styles and fonts only from the extension's own resource origin. Free of `vscode` imports so that
// the webview tests load the very same page in Chromium.
import { randomBytes } from 'node:crypto';

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PageOptions {
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  cspSource: string;
  /** Maps a file under dist/webview/ to the URL the webview loads it from. */
  assetUrl: (file: string) => string;
  /** The bundle's name under dist/webview/, e.g. "chat" for chat.js and chat.css. */
  bundle: string;
  title: string;
  nonce?: string;
  /** The page starts a Web Worker from a blob: URL of its own code (the flow graph's layout). */
  workers?: boolean;
}

export function contentSecurityPolicy(cspSource: string, nonce: string, workers = false): string {
  return [
    "default-src 'none'",
    // Bot media is remote by nature; only http(s) is allowed, and the renderer checks it too.
    `img-src ${cspSource} https: http:`,
    `media-src ${cspSource} https: http:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // A worker's script is the page's own bundled code, handed over as a blob (a worker cannot load
    // from the resource origin, which is not the page's).
    ...(workers ? ['worker-src blob:'] : []),
  ].join('; ');
}

export function renderPage({ cspSource, assetUrl, bundle, title, nonce = createNonce(), workers = false }: PageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce, workers)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${assetUrl(`${bundle}.css`)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${nonce}" src="${assetUrl(`${bundle}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
