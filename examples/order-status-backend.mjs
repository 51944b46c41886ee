// A tiny order-status service for examples/support-bot.flow.json to call through its "orders"
// integration (see sarufi.sandbox.json). Run it standalone with
//   node examples/order-status-backend.mjs [port]
// or start it from code: `const backend = await startOrderStatusBackend({ port: 0 })`.
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const DEFAULT_ORDER_BACKEND_PORT = 8788;

/** Sample orders: one delivered, one on its way, one cancelled. */
export const SAMPLE_ORDERS = {
  1042: { id: '1042', status: 'delivered', item: 'Pizza Bahari (L) x2', delivered_at: '2026-07-14 13:05', eta: null },
  1043: { id: '1043', status: 'in_transit', item: 'Kuku Pilipili (M) x1', delivered_at: null, eta: 'today 19:30, Mikocheni' },
  1044: { id: '1044', status: 'cancelled', item: 'Margherita (S) x3', delivered_at: null, eta: null },
};

function sendJson(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readJson(request) {
  request.setEncoding('utf8');
  let text = '';
  for await (const chunk of request) {
    text += chunk;
  }
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Starts the backend on 127.0.0.1. `requests` records every request (method, path, headers,
 * body), so a test can check what the flow sent; `requestTo(path)` resolves with the first request
 * to a path once it has come, for calls a flow makes without waiting for them.
 */
export async function startOrderStatusBackend({ port = DEFAULT_ORDER_BACKEND_PORT, host = '127.0.0.1' } = {}) {
  const requests = [];
  const arrived = new EventEmitter();
  let nextTicket = 1;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://backend.invalid');
    const body = await readJson(request);
    const recorded = { method: request.method, path: url.pathname, headers: request.headers, body };
    requests.push(recorded);
    arrived.emit('request', recorded);

    const order = /^\/orders\/([^/]+)$/.exec(url.pathname);
    if (order && request.method === 'GET') {
      const found = SAMPLE_ORDERS[decodeURIComponent(order[1])];
      return found ? sendJson(response, 200, found) : sendJson(response, 404, { detail: `Order ${decodeURIComponent(order[1])} not found.` });
    }
    const subscribe = /^\/orders\/([^/]+)\/subscribe$/.exec(url.pathname);
    if (subscribe && request.method === 'POST') {
      return sendJson(response, 200, { subscribed: true, order_id: decodeURIComponent(subscribe[1]) });
    }
    if (url.pathname === '/tickets' && request.method === 'POST') {
      if (!body || typeof body.problem !== 'string' || body.problem.trim() === '') {
        return sendJson(response, 422, { detail: 'A ticket needs a problem description.' });
      }
      const ticket = { id: `T-${String(nextTicket++).padStart(4, '0')}`, order_id: body.order_id ?? null, status: 'open' };
      return sendJson(response, 201, ticket);
    }
    if (url.pathname === '/events' && request.method === 'POST') {
      response.writeHead(204);
      return response.end();
    }
    return sendJson(response, 404, { detail: 'Not Found' });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    requestTo: (path) => {
      const found = requests.find((request) => request.path === path);
      if (found) {
        return Promise.resolve(found);
      }
      return new Promise((resolve) => {
        const listener = (request) => {
          if (request.path === path) {
            arrived.off('request', listener);
            resolve(request);
          }
        };
        arrived.on('request', listener);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = process.argv[2] ? Number(process.argv[2]) : DEFAULT_ORDER_BACKEND_PORT;
  const backend = await startOrderStatusBackend({ port });
  console.log(`Order-status backend listening at ${backend.url} (orders 1042, 1043, 1044)`);
  process.once('SIGINT', () => void backend.close().then(() => process.exit(0)));
}
