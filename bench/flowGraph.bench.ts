// The flow graph's speed in Chromium: layout and first paint of generated flows of 50, 500 and
// 2,000 states in the graph's real page (dist/webview/graph.js, its layout in the worker), each
// beside dagre alone on the same graph and Mermaid rendering the exported stateDiagram-v2 of the
// same flow, in the same run; and the redraw after a one-state edit beside a full layout.
// Targets: first paint within 1.5× of dagre alone and faster than Mermaid at every size; a
// one-state edit redrawn in under a third of a full layout at 500 states.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { launchChromium } from '../scripts/lib/chromium.mjs';
import { ROOT } from '../scripts/lib/paths.mjs';
import { readFlowGraph, toMermaid } from '../src/flows/flowGraph.js';
import type { FlowGraph, GraphHostToWebview } from '../src/protocol.js';

const SIZES = [50, 500, 2000];
const RUNS: Record<number, number> = { 50: 5, 500: 3, 2000: 1 };
/** Mermaid on 2,000 states takes minutes on this machine; past this it is reported as "more than". */
const MERMAID_LIMIT_MS = 120_000;

/** A menu tree: each state offers two buttons to its children, a `menu` keyword back home on every fifth, and a default to itself. */
function menuFlow(size: number): string {
  const states: Record<string, unknown> = {};
  for (let index = 0; index < size; index += 1) {
    const buttons: Record<string, string> = {};
    const shown: { id: string; title: string }[] = [];
    for (const child of [2 * index + 1, 2 * index + 2].filter((candidate) => candidate < size)) {
      buttons[`b${child}`] = `state_${child}`;
      shown.push({ id: `b${child}`, title: `Option ${child}` });
    }
    states[`state_${index}`] = {
      message: shown.length > 0 ? { type: 'buttons', text: `Step ${index}: pick one`, buttons: shown } : `Step ${index}: the end`,
      transitions: { ...(shown.length > 0 ? { buttons } : {}), ...(index % 5 === 4 ? { keywords: { menu: 'state_0' } } : {}), default: `state_${index}` },
    };
  }
  return JSON.stringify({ name: `Menu of ${size}`, states }, null, 2);
}

function graphOf(text: string): FlowGraph {
  const reading = readFlowGraph(text, 'bench.flow.json');
  if (!reading.ok) {
    throw new Error(reading.problem.message);
  }
  return reading.graph;
}

/** The graph after a one-state edit: one state's message changed and a new state reached from it. */
function oneStateEdit(size: number): FlowGraph {
  const flow = JSON.parse(menuFlow(size)) as { states: Record<string, { message: unknown; transitions: Record<string, unknown> }> };
  const edited = flow.states[`state_${Math.floor(size / 2)}`];
  if (edited) {
    edited.message = 'Changed message';
    edited.transitions['keywords'] = { extra: 'added_state' };
  }
  flow.states['added_state'] = { message: 'New', transitions: { default: 'state_0' } };
  return graphOf(JSON.stringify(flow, null, 2));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Posts a host message to the graph page and resolves with the time until it has drawn it and
 * painted. Source text, not a function: tsx's keepNames would wrap a function in a helper the page lacks.
 */
function timedDraw(page: Page, message: GraphHostToWebview): Promise<number> {
  return page.evaluate(`(async (data) => {
    const svg = document.querySelector('svg.canvas');
    const before = Number(svg.dataset.rendered ?? '0');
    const started = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    await new Promise((resolve) => {
      const check = () => (Number(svg.dataset.rendered ?? '0') > before ? resolve() : requestAnimationFrame(check));
      check();
    });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - started;
  })(${JSON.stringify(message)})`);
}

/** Runs one of the peers page's functions on a JSON argument (source text, as above). */
function peer(page: Page, name: 'benchLayout' | 'benchMermaid', argument: unknown): Promise<number> {
  return page.evaluate(`window.${name}(${JSON.stringify(argument)})`);
}

async function main(): Promise<void> {
  const dist = join(ROOT, 'dist', 'webview');
  if (!existsSync(join(dist, 'graph.js'))) {
    throw new Error('dist/webview/graph.js is missing: npm run build first');
  }
  const bench = await esbuild.build({ entryPoints: [join(ROOT, 'bench', 'flowGraphPage.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', minify: true, logLevel: 'silent' });
  const benchJs = bench.outputFiles[0]?.text ?? '';
  const fakeApi = '<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });</script>';
  const pages: Record<string, { type: string; body: string | Buffer }> = {
    '/graph.html': { type: 'text/html', body: `<!DOCTYPE html><html><head><link rel="stylesheet" href="/graph.css"></head><body><div id="app"></div>${fakeApi}<script type="module" src="/graph.js"></script></body></html>` },
    '/peers.html': { type: 'text/html', body: '<!DOCTYPE html><html><body><div id="mermaid"></div><script type="module" src="/peers.js"></script></body></html>' },
    '/graph.js': { type: 'text/javascript', body: readFileSync(join(dist, 'graph.js')) },
    '/graph.css': { type: 'text/css', body: readFileSync(join(dist, 'graph.css')) },
    '/peers.js': { type: 'text/javascript', body: benchJs },
  };
  const server = createServer((request, response) => {
    const found = pages[request.url ?? ''];
    response.writeHead(found ? 200 : 404, { 'content-type': found?.type ?? 'text/plain' });
    response.end(found?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const rows: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Nothing leaves the machine: every request but the bench server's is refused.
    await context.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    const graphPage = await context.newPage();
    await graphPage.goto(`${origin}/graph.html`);
    await graphPage.waitForSelector('svg.canvas');
    const peers = await context.newPage();
    await peers.goto(`${origin}/peers.html`);
    await peers.waitForFunction('typeof window.benchMermaid === "function"');
    for (const size of SIZES) {
      const text = menuFlow(size);
      const graph = graphOf(text);
      const mermaidText = toMermaid(graph);
      const paint: number[] = [];
      const layout: number[] = [];
      let edit = Number.NaN;
      for (let run = 0; run < (RUNS[size] ?? 1); run += 1) {
        const uri = `file:///bench/${size}-${run}.flow.json`;
        // The page measured is the one in front: a background tab's frames are throttled.
        await graphPage.bringToFront();
        paint.push(await timedDraw(graphPage, { type: 'graph', uri, fileName: 'bench.flow.json', graph }));
        await peers.bringToFront();
        layout.push(await peer(peers, 'benchLayout', graph));
        if (run === 0) {
          await graphPage.bringToFront();
          edit = await timedDraw(graphPage, { type: 'graph', uri, fileName: 'bench.flow.json', graph: oneStateEdit(size) });
        }
      }
      await peers.bringToFront();
      const mermaidMs = await Promise.race([
        peer(peers, 'benchMermaid', mermaidText),
        new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), MERMAID_LIMIT_MS)),
      ]);
      const paintMs = median(paint);
      const layoutMs = median(layout);
      const mermaidCell = Number.isFinite(mermaidMs) ? mermaidMs.toFixed(0) : `> ${MERMAID_LIMIT_MS}`;
      rows.push(
        `| ${size} states, ${graph.edges.length} transitions | ${paintMs.toFixed(0)} | ${layoutMs.toFixed(0)} | ${(paintMs / layoutMs).toFixed(2)}× | ${mermaidCell} | ${Number.isFinite(mermaidMs) ? `${(paintMs / mermaidMs).toFixed(2)}×` : '< 1×'} | ${edit.toFixed(0)} | ${(edit / paintMs).toFixed(2)}× |`,
      );
      if (!Number.isFinite(mermaidMs)) {
        // The page is still busy with Mermaid: start a fresh one for the next size.
        await peers.close();
        break;
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log('| flow (generated menu tree) | graph page: layout in worker + first paint (ms, median) | dagre alone, same request (ms) | paint ÷ dagre | Mermaid render of the exported stateDiagram-v2 (ms) | paint ÷ Mermaid | redraw after a one-state edit (ms) | edit ÷ full paint |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(row);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
