// `sarufi-test convert <folder or file> [-o <file>]`: Sarufi: Convert v1 Flow from the command line,
// through the same picking, reading and converting (src/flows/convertV1Files.ts). Prints the notes;
// exit 0 when written, 1 when the input is not a bot this converter reads, 2 for bad arguments.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { convertV1Bot } from '../flows/convertV1Files.js';
import { V1ConversionError } from '../flow/v1Convert.js';

/** How the caller talks to the terminal: the same shape as sarufiTest.ts's CliIo. */
export interface ConvertIo {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
}

export async function runConvert(argv: string[], io: ConvertIo, usage: string): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { output: { type: 'string', short: 'o' } } }));
    if (positionals.length !== 1) {
      throw new Error('convert takes one folder or file');
    }
  } catch (error) {
    io.err(`sarufi-test: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const target = resolve(io.cwd, positionals[0] ?? '');
  const rel = (path: string): string => relative(io.cwd, path) || path;
  let isFolder: boolean;
  try {
    isFolder = statSync(target).isDirectory();
  } catch {
    io.err(`sarufi-test: ${positionals[0] ?? ''}: no such file or folder\n\n${usage}`);
    return 2;
  }
  const folder = isFolder ? target : dirname(target);
  const fileNames = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
  let converted;
  try {
    converted = await convertV1Bot({ folderName: basename(folder), fileNames, picked: isFolder ? null : basename(target) }, (name) =>
      Promise.resolve(readFileSync(join(folder, name), 'utf8')),
    );
  } catch (error) {
    if (error instanceof V1ConversionError) {
      io.err(`sarufi-test: ${rel(target)} was not converted. ${error.message}`);
      return 1;
    }
    // A file that cannot be read (permissions, a folder named like a bot file).
    io.err(`sarufi-test: ${rel(target)}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const output = values.output === undefined ? join(folder, converted.fileName) : resolve(io.cwd, values.output);
  try {
    writeFileSync(output, converted.text);
  } catch (error) {
    io.err(`sarufi-test: cannot write ${rel(output)}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  io.out(`Wrote ${rel(output)} from ${converted.read.join(' + ')}.`);
  io.out(converted.notes.length === 0 ? 'Nothing needs checking by hand.' : `${converted.notes.length} thing(s) to check by hand:`);
  for (const note of converted.notes) {
    io.out(`  - ${note}`);
  }
  return 0;
}
