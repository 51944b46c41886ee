// Types for chromium.mjs, so the TypeScript tests import the same launcher the scripts use.
import type { Browser } from 'playwright-core';

export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare function launchChromium(options?: { headless?: boolean }): Promise<Browser>;
