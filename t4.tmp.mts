import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path'; import { tmpdir } from 'node:os';
import { runCli } from './src/cli/sarufiTest.ts';
const dir = mkdtempSync(join(tmpdir(), 'brk-'));
writeFileSync(join(dir, 'p.flow.json'), JSON.stringify({ ask: { initial: true, message: { type: 'buttons', text: 'x', buttons: [{ id: 'a', title: 'A' }] }, transitions: { buttons: { a: 'b' }, default: 'ask' } }, b: { message: 'B', transitions: { default: 'ask' } } }));
mkdirSync(join(dir, 'p.generated-01.sarufi-test.yaml'));
const out: string[] = [];
const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {}, cwd: dir };
console.log('dir at name:', await runCli(['generate', 'p.flow.json'], io), out.join(' | '));
out.length = 0;
console.log('--tests is a file:', await runCli(['generate', '--tests', 'p.flow.json', 'p.flow.json'], io), out.join(' | '));
// replay through a link inside the report folder that points at /
symlinkSync('/', join(dir, 'root'));
writeFileSync(join(dir, 'r.sarufi-bug.json'), JSON.stringify({ format: 'sarufi-bug-report', version: 1, chatbot: { name: 'x', baseUrl: 'y' }, flow: null, persona: { contactName: null }, test: 'name: r\ntarget: {flow: root/x.flow.json}\nsteps:\n  - send: hi\n' }));
out.length = 0;
console.log('replay via link to /:', await runCli(['replay', 'r.sarufi-bug.json'], io), out.join(' | '));
