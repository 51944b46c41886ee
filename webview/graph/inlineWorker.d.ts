// esbuild.mjs bundles `inline-worker:<module>` on its own and hands it over as text, for a worker
// started from a blob (a webview cannot start one from its resource origin).
declare module 'inline-worker:*' {
  const source: string;
  export default source;
}
