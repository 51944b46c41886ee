// Types for extensionHostBuild.mjs, so TypeScript benches can use it.
export declare function buildForExtensionHost(entry: string, outfile: string): Promise<void>;
