// The flow graph page: draws what the host sends (the graph, the live chats, coverage, failing
// tests) as SVG, with the layout computed in a worker, and reports what the author does. It edits
// nothing itself: every edit is a message, and the host changes the document.
import type {
  FlowGraph,
  GraphCoverage,
  GraphEdge,
  GraphFailingTest,
  GraphHostToWebview,
  GraphLiveChat,
  GraphNode,
  GraphPathStep,
  GraphProblem,
  GraphViewState,
  GraphWebviewToHost,
  VsCodeApi,
} from '../../src/protocol';
import type { LayoutRequest, LayoutResult, Point } from './layoutTypes';
import { canPlaceIncrementally, placeIncrementally } from './placement';
import type { PlacedEdge } from './placement';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_HEIGHT = 58;
const NAME_CHARS = 40;
const MARK_LABELS: Readonly<Record<GraphNode['marks'][number], string>> = {
  buttons: 'buttons',
  list: 'list',
  media: 'media',
  API_CALL: 'API_CALL',
  CONDITION: 'CONDITION',
  LLM_AGENT: 'LLM_AGENT',
  SEND_MESSAGE: 'SEND_MESSAGE',
  cancel: 'cancel intent',
};

export type GraphApi = VsCodeApi<GraphViewState, GraphWebviewToHost>;

/** Starts the layout: a worker in VS Code; the same function in the page where workers are not allowed. */
export type LayoutRunner = (request: LayoutRequest) => Promise<LayoutResult>;

interface View {
  x: number;
  y: number;
  scale: number;
}

export class GraphApp {
  private uri = '';
  private graph: FlowGraph | null = null;
  private layout: LayoutResult | null = null;
  private laidEdges = new Map<string, PlacedEdge>();
  private layoutId = 0;
  private problem: GraphProblem | null = null;
  private selected: string | null = null;
  private live: GraphLiveChat[] = [];
  private liveShown: string | null = null;
  private coverage: GraphCoverage | null = null;
  private failing: GraphFailingTest[] = [];
  private failingShown: number | null = null;
  private locked = false;
  private view: View = { x: 0, y: 0, scale: 1 };
  /** Draw transition: the state it starts from, while the author picks the target. */
  private connectFrom: string | null = null;
  private renderVersion = 0;
  /** A view restored from the page's state (a reload) is kept; otherwise the first layout is fitted. */
  private restoredView = false;

  private readonly header: HTMLElement;
  private readonly titleText: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly coverageText: HTMLElement;
  private readonly liveSelect: HTMLSelectElement;
  private readonly failingSelect: HTMLSelectElement;
  private readonly lockButton: HTMLButtonElement;
  private readonly search: HTMLInputElement;
  private readonly searchStatus: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly menu: HTMLElement;
  private readonly nodeElements = new Map<string, SVGGElement>();

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: GraphApi,
    private readonly runLayout: LayoutRunner,
  ) {
    const saved = vscode.getState();
    if (saved?.view) {
      this.view = saved.view;
      this.restoredView = true;
    }
    this.uri = saved?.uri ?? '';
    this.locked = saved?.locked ?? false;
    this.header = element('header', 'toolbar');
    this.titleText = element('h1', 'title');
    this.counts = element('span', 'counts');
    this.coverageText = element('span', 'coverage');
    this.coverageText.hidden = true;
    this.liveSelect = document.createElement('select');
    this.liveSelect.setAttribute('aria-label', 'Chat whose path is drawn');
    this.liveSelect.hidden = true;
    this.liveSelect.addEventListener('change', () => {
      this.liveShown = this.liveSelect.value || null;
      this.render();
    });
    this.failingSelect = document.createElement('select');
    this.failingSelect.setAttribute('aria-label', 'Failing test whose path is drawn');
    this.failingSelect.hidden = true;
    this.failingSelect.addEventListener('change', () => {
      this.failingShown = this.failingSelect.value === '' ? null : Number(this.failingSelect.value);
      this.render();
    });
    this.search = document.createElement('input');
    this.search.type = 'search';
    this.search.placeholder = 'Find a state';
    this.search.setAttribute('aria-label', 'Find a state');
    this.search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        this.find(this.search.value, event.shiftKey ? -1 : 1);
      }
    });
    this.search.addEventListener('input', () => this.find(this.search.value, 0));
    this.searchStatus = element('span', 'search-status');
    this.searchStatus.setAttribute('aria-live', 'polite');
    this.lockButton = button('', () => this.post({ type: 'toggleLock' }));
    const tools = element('div', 'tools');
    tools.append(
      this.search,
      this.searchStatus,
      button('Fit', () => this.fit(), 'Fit the whole flow in view (F)'),
      button('Tidy Layout', () => void this.relayout(true), 'Lay the whole flow out again'),
      button('Add State', () => this.post({ type: 'addState' }), 'Add a state with a TODO message at the end of the states'),
      button('Copy as Mermaid', () => this.post({ type: 'copyMermaid' }), 'Copy the flow as a Mermaid stateDiagram-v2'),
      button('Save as SVG', () => this.post({ type: 'saveSvg', svg: this.exportSvg() }), 'Save the drawing as an SVG file'),
      this.lockButton,
    );
    const summary = element('div', 'summary');
    summary.append(this.titleText, this.counts, this.coverageText, this.liveSelect, this.failingSelect);
    this.header.append(summary, tools);
    this.banner = element('div', 'banner');
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.hint = element('div', 'hint');
    this.hint.setAttribute('role', 'status');
    this.hint.hidden = true;
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.classList.add('canvas');
    this.svg.setAttribute('role', 'group');
    this.svg.setAttribute('aria-label', 'Flow graph');
    this.svg.append(arrowMarkers());
    this.viewport = document.createElementNS(SVG, 'g');
    this.viewport.classList.add('viewport');
    this.svg.append(this.viewport);
    this.menu = element('div', 'menu');
    this.menu.setAttribute('role', 'menu');
    this.menu.hidden = true;
    this.root.append(this.header, this.banner, this.hint, this.svg, this.menu);
    this.installPanAndZoom();
    this.root.addEventListener('keydown', (event) => this.onKey(event));
    document.addEventListener('click', (event) => {
      if (!this.menu.hidden && !this.menu.contains(event.target as Node)) {
        this.closeMenu();
      }
    });
    this.updateLock();
  }

  handle(message: GraphHostToWebview): void {
    switch (message.type) {
      case 'init':
        if (message.uri !== this.uri) {
          this.layout = null;
          this.restoredView = false;
        }
        this.uri = message.uri;
        this.locked = message.locked;
        this.titleText.dataset['file'] = message.fileName;
        this.problem = message.problem;
        this.selected = message.selected;
        this.live = message.live;
        this.coverage = message.coverage;
        this.failing = message.failing;
        this.saveState();
        this.updateLock();
        this.updateHeader();
        if (message.graph) {
          void this.setGraph(message.graph);
        } else {
          this.render();
        }
        return;
      case 'graph':
        if (message.uri !== this.uri) {
          // Another document: its own picture, not this one's positions.
          this.layout = null;
          this.uri = message.uri;
          this.restoredView = false;
          this.saveState();
        }
        this.titleText.dataset['file'] = message.fileName;
        this.problem = null;
        void this.setGraph(message.graph);
        return;
      case 'problem':
        this.problem = message.problem;
        this.updateHeader();
        return;
      case 'select':
        this.selected = message.state;
        this.render();
        if (message.state) {
          this.reveal(message.state);
        }
        return;
      case 'locked':
        this.locked = message.locked;
        this.saveState();
        this.updateLock();
        return;
      case 'live':
        this.live = message.chats;
        this.updateHeader();
        this.render();
        return;
      case 'coverage':
        this.coverage = message.coverage;
        this.updateHeader();
        this.render();
        return;
      case 'failing':
        this.failing = message.tests;
        this.failingShown = null;
        this.updateHeader();
        this.render();
        return;
      case 'batch':
        message.messages.forEach((inner) => this.handle(inner));
        return;
    }
  }

  private post(message: GraphWebviewToHost): void {
    this.vscode.postMessage(message);
  }

  private saveState(): void {
    this.vscode.setState({ uri: this.uri, locked: this.locked, view: this.view });
  }

  private async setGraph(graph: FlowGraph): Promise<void> {
    this.graph = graph;
    this.updateHeader();
    await this.relayout(false);
  }

  /** Lays the graph out: only the new states when the change is small, the whole graph otherwise. */
  private async relayout(whole: boolean): Promise<void> {
    const graph = this.graph;
    if (!graph) {
      return;
    }
    const request = layoutRequest(graph, this.layoutId + 1);
    const { nodes, edges } = request;
    const firstLayout = this.layout === null;
    if (!whole && canPlaceIncrementally(this.layout, nodes)) {
      this.layout = placeIncrementally(this.layout as LayoutResult, nodes, edges, this.laidEdges);
    } else {
      const id = ++this.layoutId;
      const result = await this.runLayout(request);
      if (id !== this.layoutId || graph !== this.graph) {
        // A newer graph arrived while this one was laid out: it has its own layout coming.
        return;
      }
      this.layout = result;
    }
    this.laidEdges = new Map(edges.map((edge) => [edge.id, { id: edge.id, from: edge.from, to: edge.to }]));
    this.render();
    if (firstLayout && !this.restoredView) {
      this.fit();
    }
  }

  private updateHeader(): void {
    const graph = this.graph;
    this.titleText.textContent = graph ? graph.title : 'Flow graph';
    this.titleText.title = this.titleText.dataset['file'] ?? '';
    this.counts.textContent = graph ? `${plural(graph.nodes.length, 'state')} · ${plural(graph.edges.length, 'transition')}` : '';
    if (this.coverage) {
      const c = this.coverage;
      this.coverageText.hidden = false;
      this.coverageText.textContent = `Coverage: ${c.statesReached}/${c.statesTotal} states, ${c.transitionsReached}/${c.transitionsTotal} transitions`;
    } else {
      this.coverageText.hidden = true;
    }
    this.banner.hidden = this.problem === null;
    this.banner.textContent = this.problem
      ? `The flow does not parse (line ${this.problem.line}): ${this.problem.message} ${this.graph ? 'The graph shows the last version that did.' : ''}`.trim()
      : '';
    this.fillLiveSelect();
    this.fillFailingSelect();
  }

  private fillLiveSelect(): void {
    this.liveSelect.hidden = this.live.length === 0;
    if (this.liveShown === null || !this.live.some((chat) => chat.panelId === this.liveShown)) {
      this.liveShown = this.live.at(-1)?.panelId ?? null;
    }
    this.liveSelect.replaceChildren(
      ...this.live.map((chat) => {
        const option = document.createElement('option');
        option.value = chat.panelId;
        option.textContent = `Chat: ${chat.title} (${chat.current ?? 'starting'})`;
        option.selected = chat.panelId === this.liveShown;
        return option;
      }),
    );
  }

  private fillFailingSelect(): void {
    this.failingSelect.hidden = this.failing.length === 0;
    const none = document.createElement('option');
    none.value = '';
    none.textContent = `${plural(this.failing.length, 'failing test')}: pick one to draw its path`;
    this.failingSelect.replaceChildren(
      none,
      ...this.failing.map((test, index) => {
        const option = document.createElement('option');
        option.value = String(index);
        option.textContent = `✗ ${test.name}`;
        option.selected = index === this.failingShown;
        return option;
      }),
    );
  }

  private updateLock(): void {
    this.lockButton.textContent = this.locked ? 'Unlock' : 'Lock';
    this.lockButton.title = this.locked ? 'Follow the active flow editor again' : 'Keep showing this flow when another editor becomes active';
    this.lockButton.setAttribute('aria-pressed', String(this.locked));
  }

  /** Draws the whole graph from the current layout: nodes, edges, and the live/coverage/test marks. */
  private render(): void {
    const graph = this.graph;
    const layout = this.layout;
    if (!graph || !layout) {
      return;
    }
    const livePath = this.live.find((chat) => chat.panelId === this.liveShown);
    const failingTest = this.failingShown === null ? undefined : this.failing[this.failingShown];
    const stepsOn = stepNumbers(livePath?.steps ?? []);
    const failingOn = stepNumbers(failingTest?.steps ?? []);
    const uncoveredStates = new Set(this.coverage?.unreachedStates ?? []);
    const uncoveredEdges = new Set(this.coverage?.unreachedEdges ?? []);
    const visited = new Set((livePath?.steps ?? []).map((step) => step.to));
    const currentStates = new Set(this.live.map((chat) => chat.current).filter((state): state is string => state !== null));
    const edgeLayer = document.createElementNS(SVG, 'g');
    edgeLayer.classList.add('edges');
    const nodeLayer = document.createElementNS(SVG, 'g');
    nodeLayer.classList.add('nodes');
    const loops = new Map<string, number>();
    for (const edge of graph.edges) {
      const route = edge.from === edge.to ? selfLoop(layout, edge, loops) : layout.edges[edge.id];
      if (!route || route.points.length < 2) {
        continue;
      }
      const live = stepsOn.get(edge.id);
      const failed = failingOn.get(edge.id);
      const group = document.createElementNS(SVG, 'g');
      group.classList.add('edge', `trigger-${edge.trigger}`);
      group.dataset['edge'] = edge.id;
      if (live) {
        group.classList.add('live');
      }
      if (failed) {
        group.classList.add('failing');
      }
      if (uncoveredEdges.has(edge.id)) {
        group.classList.add('uncovered');
      }
      if (edge.dangling) {
        group.classList.add('dangling');
      }
      const path = document.createElementNS(SVG, 'path');
      const d = edge.from === edge.to ? loopPath(route.points) : routePath(route.points);
      path.setAttribute('d', d);
      path.setAttribute('marker-end', `url(#arrow${live ? '-live' : failed ? '-failing' : ''})`);
      // Two elements per edge and its label, nothing more: a 2,000-state flow draws 4,000 edges.
      group.append(path);
      const at = route.label ?? midpoint(route.points);
      const numbers = live ?? failed;
      const text = `${edge.label}${numbers ? `  #${numbers.join(',')}` : ''}`;
      group.append(labelBox(text, at));
      group.addEventListener('click', (event) => {
        event.stopPropagation();
        this.openEdgeMenu(edge, event.clientX, event.clientY);
      });
      edgeLayer.append(group);
    }
    this.nodeElements.clear();
    const nodes = [...graph.nodes, ...missingNodes(graph)];
    const waysOut = new Map<string, number>();
    for (const edge of graph.edges) {
      waysOut.set(edge.from, (waysOut.get(edge.from) ?? 0) + 1);
    }
    for (const node of nodes) {
      const at = layout.nodes[node.id];
      if (!at) {
        continue;
      }
      const missing = node.line < 0;
      const width = nodeWidth(node.id);
      const group = document.createElementNS(SVG, 'g');
      group.classList.add('node');
      group.dataset['state'] = node.id;
      group.setAttribute('transform', `translate(${at.x - width / 2},${at.y - NODE_HEIGHT / 2})`);
      const classes: [boolean, string][] = [
        [node.initial, 'initial'],
        [node.unreachable, 'unreachable'],
        [node.errors > 0, 'has-errors'],
        [node.errors === 0 && node.warnings > 0, 'has-warnings'],
        [node.id === this.selected, 'selected'],
        [uncoveredStates.has(node.id), 'uncovered'],
        [currentStates.has(node.id), 'current'],
        [livePath?.current === node.id, 'current-shown'],
        [visited.has(node.id), 'visited'],
        [failingTest?.failedAt === node.id, 'failed-here'],
        [missing, 'missing'],
      ];
      for (const [on, name] of classes) {
        if (on) {
          group.classList.add(name);
        }
      }
      if (!missing) {
        group.setAttribute('tabindex', node.id === (this.selected ?? graph.nodes[0]?.id) ? '0' : '-1');
        group.setAttribute('role', 'button');
      }
      group.setAttribute('aria-label', accessibleName(node, { uncovered: uncoveredStates.has(node.id), current: currentStates.has(node.id), missing, outgoing: waysOut.get(node.id) ?? 0 }));
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('width', String(width));
      rect.setAttribute('height', String(NODE_HEIGHT));
      rect.setAttribute('rx', '6');
      const name = document.createElementNS(SVG, 'text');
      name.classList.add('name');
      name.setAttribute('x', '10');
      name.setAttribute('y', '19');
      name.textContent = `${node.initial ? '▶ ' : ''}${truncate(node.id, NAME_CHARS)}`;
      const first = document.createElementNS(SVG, 'text');
      first.classList.add('first-line');
      first.setAttribute('x', '10');
      first.setAttribute('y', '35');
      first.textContent = missing ? 'not a state of this flow' : truncate(node.firstLine ?? '(no message)', Math.floor((width - 20) / 6.2));
      const marks = document.createElementNS(SVG, 'text');
      marks.classList.add('marks');
      marks.setAttribute('x', '10');
      marks.setAttribute('y', '50');
      marks.textContent = markText(node, uncoveredStates.has(node.id));
      const title = document.createElementNS(SVG, 'title');
      title.textContent = node.problem ?? node.id;
      group.append(title, rect, name, first, marks);
      if (!missing) {
        group.addEventListener('click', (event) => {
          event.stopPropagation();
          this.activate(node.id);
        });
        group.addEventListener('contextmenu', (event) => {
          event.preventDefault();
          this.openNodeMenu(node.id, event.clientX, event.clientY);
        });
        group.addEventListener('focus', () => group.classList.add('focused'));
        group.addEventListener('blur', () => group.classList.remove('focused'));
      }
      this.nodeElements.set(node.id, group);
      nodeLayer.append(group);
    }
    this.viewport.replaceChildren(edgeLayer, nodeLayer);
    this.applyView();
    this.svg.dataset['rendered'] = String(++this.renderVersion);
  }

  /** A click (or Enter) on a node: draw the transition being drawn, or reveal the state in the editor. */
  private activate(state: string): void {
    if (this.connectFrom !== null) {
      const from = this.connectFrom;
      this.setConnecting(null);
      this.post({ type: 'addTransition', from, to: state });
      return;
    }
    this.selected = state;
    this.post({ type: 'reveal', state });
    this.render();
    this.nodeElements.get(state)?.focus();
  }

  private setConnecting(from: string | null): void {
    this.connectFrom = from;
    this.hint.hidden = from === null;
    this.hint.textContent = from === null ? '' : `Draw transition from '${from}': click (or press Enter on) the state it leads to. Escape cancels.`;
    this.root.classList.toggle('connecting', from !== null);
  }

  private openNodeMenu(state: string, x: number, y: number): void {
    const graph = this.graph;
    if (!graph) {
      return;
    }
    const items: [string, () => void][] = [
      ['Go to State', () => this.post({ type: 'reveal', state })],
      ['Chat from Here', () => this.post({ type: 'chatFromHere', state })],
      ['Preview Flow (from the initial state)', () => this.post({ type: 'previewFlow' })],
      ['Rename State…', () => this.post({ type: 'rename', state })],
      ['Draw Transition from Here…', () => this.setConnecting(state)],
      ...graph.edges
        .filter((edge) => edge.from === state)
        .map((edge): [string, () => void] => [`Delete Transition '${edge.label}' → ${edge.to}`, () => this.post({ type: 'deleteTransition', edge: edge.id })]),
      ['Delete State…', () => this.post({ type: 'deleteState', state })],
    ];
    this.showMenu(`Actions of state ${state}`, items, x, y);
  }

  private openEdgeMenu(edge: GraphEdge, x: number, y: number): void {
    this.showMenu(`Transition ${edge.from} to ${edge.to}`, [
      [`Go to '${edge.from}'`, () => this.post({ type: 'reveal', state: edge.from })],
      [`Delete Transition '${edge.label}' → ${edge.to}`, () => this.post({ type: 'deleteTransition', edge: edge.id })],
    ], x, y);
  }

  private showMenu(label: string, items: [string, () => void][], x: number, y: number): void {
    this.menu.setAttribute('aria-label', label);
    this.menu.replaceChildren(
      ...items.map(([text, run]) => {
        const item = document.createElement('button');
        item.type = 'button';
        item.setAttribute('role', 'menuitem');
        item.textContent = text;
        item.addEventListener('click', (event) => {
          event.stopPropagation();
          this.closeMenu();
          run();
        });
        return item;
      }),
    );
    this.menu.hidden = false;
    this.menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - 280))}px`;
    this.menu.style.top = `${Math.max(0, Math.min(y, window.innerHeight - items.length * 26 - 8))}px`;
    (this.menu.firstElementChild as HTMLElement | null)?.focus();
  }

  private closeMenu(): void {
    this.menu.hidden = true;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      this.closeMenu();
      this.setConnecting(null);
      return;
    }
    if (!this.menu.hidden && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      const items = Array.from(this.menu.querySelectorAll('button'));
      const index = items.indexOf(document.activeElement as HTMLButtonElement);
      items[(index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
      event.preventDefault();
      return;
    }
    const target = event.target as Element;
    if (target === this.search || target.tagName === 'SELECT' || target.tagName === 'BUTTON') {
      return;
    }
    const state = (target as SVGGElement).dataset?.['state'];
    if (event.key === 'f' || event.key === 'F') {
      this.fit();
      return;
    }
    if (event.key === '+' || event.key === '=') {
      this.zoomBy(1.2);
      return;
    }
    if (event.key === '-') {
      this.zoomBy(1 / 1.2);
      return;
    }
    if (!state) {
      return;
    }
    switch (event.key) {
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.activate(state);
        return;
      case 'ArrowDown':
      case 'ArrowUp':
      case 'ArrowLeft':
      case 'ArrowRight': {
        event.preventDefault();
        const next = this.neighbour(state, event.key);
        if (next) {
          this.focusNode(next);
        }
        return;
      }
      case 'Delete':
        this.post({ type: 'deleteState', state });
        return;
      case 'F2':
        this.post({ type: 'rename', state });
        return;
      case 'ContextMenu':
      case 'F10':
        if (event.key === 'ContextMenu' || event.shiftKey) {
          event.preventDefault();
          const box = (target as SVGGElement).getBoundingClientRect();
          this.openNodeMenu(state, box.left + 10, box.bottom);
        }
        return;
    }
  }

  /** Down: the first state it leads to; Up: the first that leads here; Left/Right: the nearest state that side. */
  private neighbour(state: string, key: string): string | undefined {
    const graph = this.graph;
    const layout = this.layout;
    if (!graph || !layout) {
      return undefined;
    }
    if (key === 'ArrowDown') {
      return graph.edges.find((edge) => edge.from === state && edge.to !== state && layout.nodes[edge.to] && !edge.dangling)?.to;
    }
    if (key === 'ArrowUp') {
      return graph.edges.find((edge) => edge.to === state && edge.from !== state)?.from;
    }
    const here = layout.nodes[state];
    if (!here) {
      return undefined;
    }
    const direction = key === 'ArrowRight' ? 1 : -1;
    let best: { id: string; score: number } | undefined;
    for (const node of graph.nodes) {
      const at = layout.nodes[node.id];
      if (!at || node.id === state || (at.x - here.x) * direction <= 0) {
        continue;
      }
      const score = Math.abs(at.x - here.x) + Math.abs(at.y - here.y) * 3;
      if (!best || score < best.score) {
        best = { id: node.id, score };
      }
    }
    return best?.id;
  }

  private focusNode(state: string): void {
    for (const element of this.nodeElements.values()) {
      element.setAttribute('tabindex', '-1');
    }
    const element = this.nodeElements.get(state);
    if (element) {
      element.setAttribute('tabindex', '0');
      this.reveal(state);
      element.focus();
    }
  }

  private find(query: string, direction: number): void {
    const graph = this.graph;
    const wanted = query.trim().toLowerCase();
    if (!graph || wanted === '') {
      this.searchStatus.textContent = '';
      return;
    }
    const matches = graph.nodes.filter((node) => node.id.toLowerCase().includes(wanted));
    if (matches.length === 0) {
      this.searchStatus.textContent = 'No state matches';
      return;
    }
    const index = matches.findIndex((node) => node.id === this.selected);
    const next = matches[(index === -1 ? 0 : index + direction + matches.length) % matches.length] as GraphNode;
    this.selected = next.id;
    this.searchStatus.textContent = `${next.id}: ${matches.indexOf(next) + 1} of ${matches.length}`;
    this.render();
    this.reveal(next.id);
  }

  /** Brings a state into view (centred when it is outside). */
  private reveal(state: string): void {
    const at = this.layout?.nodes[state];
    if (!at) {
      return;
    }
    const box = this.svg.getBoundingClientRect();
    const screenX = at.x * this.view.scale + this.view.x;
    const screenY = at.y * this.view.scale + this.view.y;
    if (screenX < 40 || screenY < 40 || screenX > box.width - 40 || screenY > box.height - 40) {
      this.view = { ...this.view, x: box.width / 2 - at.x * this.view.scale, y: box.height / 2 - at.y * this.view.scale };
      this.applyView();
      this.saveState();
    }
  }

  private fit(): void {
    const layout = this.layout;
    if (!layout) {
      return;
    }
    const box = this.svg.getBoundingClientRect();
    const scale = Math.min(1.5, Math.max(0.05, Math.min(box.width / (layout.width + 40), box.height / (layout.height + 40))));
    this.view = { scale, x: (box.width - layout.width * scale) / 2, y: Math.max(10, (box.height - layout.height * scale) / 2) };
    this.applyView();
    this.saveState();
  }

  private zoomBy(factor: number, around?: Point): void {
    const box = this.svg.getBoundingClientRect();
    const center = around ?? { x: box.width / 2, y: box.height / 2 };
    const scale = Math.min(4, Math.max(0.05, this.view.scale * factor));
    const applied = scale / this.view.scale;
    this.view = { scale, x: center.x - (center.x - this.view.x) * applied, y: center.y - (center.y - this.view.y) * applied };
    this.applyView();
    this.saveState();
  }

  private applyView(): void {
    this.viewport.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.scale})`);
  }

  private installPanAndZoom(): void {
    let drag: { x: number; y: number; view: View } | null = null;
    this.svg.addEventListener('pointerdown', (event) => {
      if ((event.target as Element).closest('.node, .edge')) {
        return;
      }
      drag = { x: event.clientX, y: event.clientY, view: { ...this.view } };
      this.svg.setPointerCapture(event.pointerId);
    });
    this.svg.addEventListener('pointermove', (event) => {
      if (drag) {
        this.view = { ...drag.view, x: drag.view.x + event.clientX - drag.x, y: drag.view.y + event.clientY - drag.y };
        this.applyView();
      }
    });
    this.svg.addEventListener('pointerup', () => {
      if (drag) {
        drag = null;
        this.saveState();
      }
    });
    this.svg.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const box = this.svg.getBoundingClientRect();
        this.zoomBy(event.deltaY < 0 ? 1.1 : 1 / 1.1, { x: event.clientX - box.left, y: event.clientY - box.top });
      },
      { passive: false },
    );
  }

  /** The drawing as a standalone SVG: the whole graph in its viewBox, the theme's colours written in. */
  private exportSvg(): string {
    const layout = this.layout;
    const clone = this.svg.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', SVG);
    clone.setAttribute('viewBox', `0 0 ${Math.ceil(layout?.width ?? 0)} ${Math.ceil(layout?.height ?? 0)}`);
    clone.setAttribute('width', String(Math.ceil(layout?.width ?? 0)));
    clone.setAttribute('height', String(Math.ceil(layout?.height ?? 0)));
    clone.querySelector('.viewport')?.removeAttribute('transform');
    const styles = getComputedStyle(document.body);
    const colour = (name: string, fallback: string): string => styles.getPropertyValue(name).trim() || fallback;
    const style = document.createElementNS(SVG, 'style');
    style.textContent = [
      `svg { background: ${colour('--vscode-editor-background', '#ffffff')}; font-family: sans-serif; font-size: 12px; }`,
      `.node rect { fill: ${colour('--vscode-editorWidget-background', '#f3f3f3')}; stroke: ${colour('--vscode-editorWidget-border', '#888888')}; }`,
      `text { fill: ${colour('--vscode-editor-foreground', '#333333')}; }`,
      `.node .name { font-weight: bold; } .node .first-line, .node .marks { font-size: 11px; opacity: 0.8; }`,
      `.edge path { fill: none; stroke: ${colour('--vscode-editor-foreground', '#333333')}; stroke-opacity: 0.6; }`,
      `.edge-label rect { fill: ${colour('--vscode-editor-background', '#ffffff')}; } .edge-label text { font-size: 11px; }`,
      `.node.initial rect { stroke-width: 2; } .node.unreachable rect { stroke-dasharray: 4 3; }`,
      `#arrow path, #arrow-live path, #arrow-failing path { fill: ${colour('--vscode-editor-foreground', '#333333')}; }`,
    ].join('\n');
    clone.prepend(style);
    clone.querySelectorAll('[tabindex]').forEach((node) => node.removeAttribute('tabindex'));
    return new XMLSerializer().serializeToString(clone);
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.className = className;
  return created;
}

function button(text: string, onClick: () => void, title?: string): HTMLButtonElement {
  const created = document.createElement('button');
  created.type = 'button';
  created.textContent = text;
  if (title) {
    created.title = title;
  }
  created.addEventListener('click', onClick);
  return created;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function truncate(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

export function nodeWidth(name: string): number {
  return Math.max(210, Math.min(320, Math.min(name.length, NAME_CHARS) * 7.4 + 40));
}

function labelWidth(label: string): number {
  return Math.min(220, label.length * 6.2 + 12);
}

/** What the layout worker is asked to place: every node (and placeholder) at its drawn size, and every edge with room for its label. */
export function layoutRequest(graph: FlowGraph, id: number): LayoutRequest {
  return {
    id,
    nodes: [...graph.nodes, ...missingNodes(graph)].map((node) => ({ id: node.id, width: nodeWidth(node.id), height: NODE_HEIGHT })),
    edges: graph.edges.map((edge) => ({ id: edge.id, from: edge.from, to: edge.to, labelWidth: labelWidth(edge.label) })),
  };
}

/** A transition to a state the flow does not have is drawn to a marked placeholder of that name. */
function missingNodes(graph: FlowGraph): GraphNode[] {
  const known = new Set(graph.nodes.map((node) => node.id));
  const missing = [...new Set(graph.edges.filter((edge) => edge.dangling && !known.has(edge.to)).map((edge) => edge.to))];
  return missing.map((name) => ({ id: name, firstLine: null, marks: [], initial: false, unreachable: false, errors: 0, warnings: 0, problem: `'${name}' is not a state of this flow`, line: -1 }));
}

function markText(node: GraphNode, uncovered: boolean): string {
  const parts = node.marks.map((mark) => MARK_LABELS[mark]);
  if (node.errors > 0) {
    parts.unshift(`⛔ ${node.errors}`);
  } else if (node.warnings > 0) {
    parts.unshift(`⚠ ${node.warnings}`);
  }
  if (node.unreachable) {
    parts.push('nothing leads here');
  }
  if (uncovered) {
    parts.push('not covered');
  }
  return parts.join(' · ');
}

function accessibleName(node: GraphNode, extra: { uncovered: boolean; current: boolean; missing: boolean; outgoing: number }): string {
  if (extra.missing) {
    return `${node.id}: not a state of this flow`;
  }
  const parts = [`State ${node.id}`];
  if (node.initial) {
    parts.push('initial state');
  }
  if (extra.current) {
    parts.push('current state of a chat');
  }
  if (node.errors > 0) {
    parts.push(plural(node.errors, 'error'));
  }
  if (node.warnings > 0) {
    parts.push(plural(node.warnings, 'warning'));
  }
  if (node.unreachable) {
    parts.push('nothing leads here');
  }
  if (extra.uncovered) {
    parts.push('no test reached it');
  }
  parts.push(...node.marks.map((mark) => MARK_LABELS[mark]));
  parts.push(`${plural(extra.outgoing, 'way')} out`);
  return parts.join(', ');
}

/** The step numbers of a path on each edge it took (an edge taken twice shows both). */
function stepNumbers(steps: readonly GraphPathStep[]): Map<string, number[]> {
  const numbers = new Map<string, number[]>();
  steps.forEach((step, index) => {
    if (step.edge !== null) {
      numbers.set(step.edge, [...(numbers.get(step.edge) ?? []), index + 1]);
    }
  });
  return numbers;
}

function routePath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) {
    return '';
  }
  if (rest.length === 1) {
    return `M${first.x},${first.y}L${rest[0]?.x},${rest[0]?.y}`;
  }
  // Smooth through the route's bends: a quadratic curve to the midpoint of each segment.
  let d = `M${first.x},${first.y}`;
  for (let index = 0; index < rest.length - 1; index += 1) {
    const point = rest[index] as Point;
    const next = rest[index + 1] as Point;
    d += `Q${point.x},${point.y} ${(point.x + next.x) / 2},${(point.y + next.y) / 2}`;
  }
  const last = rest.at(-1) as Point;
  return `${d}L${last.x},${last.y}`;
}

/**
 * A state's transition to itself, drawn as a loop on its right side (dagre's own self-loop route
 * does not start at the node): the nth loop of a state sits a little further out than the one before.
 */
function selfLoop(layout: LayoutResult, edge: GraphEdge, loops: Map<string, number>): { points: Point[]; label: Point } | undefined {
  const at = layout.nodes[edge.from];
  if (!at) {
    return undefined;
  }
  const index = loops.get(edge.from) ?? 0;
  loops.set(edge.from, index + 1);
  const side = at.x + nodeWidth(edge.from) / 2;
  const reach = 34 + index * 22;
  const spread = 10 + index * 4;
  return {
    points: [{ x: side, y: at.y - spread }, { x: side + reach, y: at.y - spread - 14 }, { x: side + reach, y: at.y + spread + 14 }, { x: side, y: at.y + spread }],
    label: { x: side + reach + labelWidth(edge.label) / 2 - 4, y: at.y - 16 + index * 18 },
  };
}

function loopPath(points: readonly Point[]): string {
  const [start, first, second, end] = points as [Point, Point, Point, Point];
  return `M${start.x},${start.y}C${first.x},${first.y} ${second.x},${second.y} ${end.x},${end.y}`;
}

function midpoint(points: readonly Point[]): Point {
  return points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
}

function labelBox(text: string, at: Point): SVGGElement {
  const group = document.createElementNS(SVG, 'g');
  group.classList.add('edge-label');
  const width = labelWidth(text);
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('x', String(at.x - width / 2));
  rect.setAttribute('y', String(at.y - 8));
  rect.setAttribute('width', String(width));
  rect.setAttribute('height', '16');
  rect.setAttribute('rx', '3');
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', String(at.x));
  label.setAttribute('y', String(at.y + 4));
  label.setAttribute('text-anchor', 'middle');
  label.textContent = truncate(text, 34);
  group.append(rect, label);
  return group;
}

function arrowMarkers(): SVGDefsElement {
  const defs = document.createElementNS(SVG, 'defs');
  for (const id of ['arrow', 'arrow-live', 'arrow-failing']) {
    const marker = document.createElementNS(SVG, 'marker');
    marker.id = id;
    marker.setAttribute('viewBox', '0 0 10 10');
    marker.setAttribute('refX', '9');
    marker.setAttribute('refY', '5');
    marker.setAttribute('markerWidth', '7');
    marker.setAttribute('markerHeight', '7');
    marker.setAttribute('orient', 'auto-start-reverse');
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', 'M0,0L10,5L0,10z');
    marker.append(path);
    defs.append(marker);
  }
  return defs;
}
