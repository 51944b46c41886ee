// Types for paths.mjs, for the TypeScript tests.
export declare const ROOT: string;
export declare const EXAMPLES_DIR: string;
export declare const TEST_RESULTS_DIR: string;
export declare const VSCODE_TEST_DIR: string;
