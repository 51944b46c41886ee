// The benchmark's peer: a bare node:http server with the Chat API's shapes (create a session,
// send a message, and what Set API Key and Start Chat read first: /me and the chatbot) and nothing else: no flows, no
// workers, no child process hop. Forked by sandbox.bench.ts and enterToReply.bench.ts, it reports
// its port over IPC.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const KEY = process.argv[2] ?? '';
const SESSION_PATH = /^\/api\/dev\/v1\/chatbots\/[^/]+\/chat\/sessions$/;
const CHATBOT_PATH = /^\/api\/dev\/v1\/chatbots\/([^/]+)$/;
const MESSAGE_PATH = /^\/api\/dev\/v1\/chatbots\/[^/]+\/chat\/sessions\/([^/]+)\/messages$/;
const menu = {
  type: 'buttons',
  text: 'Karibu Pizza Bahari! Choose:',
  buttons: [
    { id: 'order', title: 'Agiza / Order' },
    { id: 'hours', title: 'Saa / Hours' },
  ],
};

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    if (request.headers.authorization !== `Bearer ${KEY}`) {
      send(response, 401, { detail: 'Invalid or expired API key.' });
      return;
    }
    const now = new Date().toISOString();
    if (request.method === 'POST' && SESSION_PATH.test(request.url ?? '')) {
      send(response, 201, { session_id: randomUUID(), channel: 'api', created_at: now, messages: [menu] });
      return;
    }
    if (request.method === 'GET' && request.url === '/api/dev/v1/me') {
      send(response, 200, { workspace: { id: 'bench', name: 'Bench workspace', plan: 'free' } });
      return;
    }
    const chatbot = CHATBOT_PATH.exec(request.url ?? '');
    if (request.method === 'GET' && chatbot) {
      send(response, 200, { id: chatbot[1], name: 'Bench Bot' });
      return;
    }
    const message = MESSAGE_PATH.exec(request.url ?? '');
    if (request.method === 'POST' && message) {
      const parsed = JSON.parse(body);
      const messages = [{ type: 'text', text: `Open 10:00-22:00 (you said ${parsed.message})` }, menu];
      send(response, 200, { session_id: message[1], messages, messages_count: messages.length, current_state: 'menu', timestamp: now });
      return;
    }
    send(response, 404, { detail: 'Not Found' });
  });
});

server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
