// The messages between the regex budget (regexBudget.ts) and its worker (regexWorker.ts).

export interface RegexPatternData {
  source: string;
  flags: string;
}

export type RegexJob = RegexPatternData & { id: number } & (
    | { kind: 'test'; text: string }
    | { kind: 'samples'; count: number }
    | { kind: 'judge' }
  );

export type RegexWorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; id: number; value: boolean | string[] }
  | { type: 'failed'; id: number; message: string };
