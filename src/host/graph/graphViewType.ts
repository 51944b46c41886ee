// The flow graph's webview type: the serializer (at activation) and the panel (loaded on first use) share it.
export const GRAPH_VIEW_TYPE = 'sarufi.flowGraph';
