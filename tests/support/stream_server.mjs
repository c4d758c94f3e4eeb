// Test-only HTTP server: replays the stream corpus (tests/data/streams) over loopback with CORS, in chosen chunks, stalls and drops.
//
// Routes (GET or POST; OPTIONS preflights are answered for every path):
//   /stream/NAME?chunk=N&delay=MS  the body of NAME in N-byte writes, MS apart (chunked)
//   /stall/NAME?after=BYTES        the first BYTES of NAME, then silence forever
//   /drop/NAME?after=BYTES         the first BYTES of NAME, then the socket is destroyed
//   /status/CODE?body=TEXT&header=k:v  status CODE with that body and headers (header repeats)
//   /echo[/...]                    the request's method, path, headers and body as JSON
//   /hang                          never sends response headers
//   /closed-port                   a loopback port that was just bound and closed, as text
// Listens on 127.0.0.1 port 0, prints one line {"port": N} when ready, and
// exits when its stdin closes, so a parent that dies takes it along.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import net from 'node:net';

const STREAMS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'streams');
const CONTENT_TYPES = { '.sse': 'text/event-stream; charset=utf-8', '.ndjson': 'application/x-ndjson' };
const sockets = new Set();

function cors(req) {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] || '*',
    'access-control-expose-headers': '*',
    'access-control-max-age': '600',
  };
}

async function corpusFile(name) {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) return null;
  try {
    return await readFile(path.join(STREAMS, name));
  } catch {
    return null;
  }
}

function readBody(req) {
  return new Promise((resolve) => {
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

const sleep = (ms) => new Promise((done) => (ms > 0 ? setTimeout(done, ms) : setImmediate(done)));

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const [, route = '', arg = ''] = url.pathname.split('/');
  const name = decodeURIComponent(arg);
  const body = await readBody(req);
  const headers = cors(req);
  if (req.method === 'OPTIONS') return res.writeHead(204, headers).end();
  res.socket?.setNoDelay(true);

  if (route === 'echo') {
    const echoed = JSON.stringify({ method: req.method, path: url.pathname + url.search, headers: req.headers, body });
    return res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(echoed);
  }
  if (route === 'status') {
    const code = Number(arg);
    if (!Number.isInteger(code) || code < 200 || code > 599) return res.writeHead(400, headers).end('bad status');
    const extra = {};
    for (const pair of url.searchParams.getAll('header')) {
      const at = pair.indexOf(':');
      if (at > 0) extra[pair.slice(0, at).trim().toLowerCase()] = pair.slice(at + 1).trim();
    }
    return res
      .writeHead(code, { ...headers, 'content-type': 'application/json', ...extra })
      .end(url.searchParams.get('body') ?? '');
  }
  if (route === 'hang') return;
  if (route === 'closed-port') return res.writeHead(200, headers).end(String(await freePort()));
  if (!['stream', 'stall', 'drop'].includes(route)) return res.writeHead(404, headers).end('no such route');

  const file = await corpusFile(name);
  if (!file) return res.writeHead(404, headers).end(`no such stream file: ${name}`);
  const type = CONTENT_TYPES[path.extname(name)] || 'application/octet-stream';
  res.writeHead(200, { ...headers, 'content-type': type, 'cache-control': 'no-cache' });
  res.flushHeaders();

  if (route === 'stream') {
    const chunk = Math.max(1, Number(url.searchParams.get('chunk')) || file.length);
    const delay = Math.max(0, Number(url.searchParams.get('delay')) || 0);
    for (let at = 0; at < file.length && !res.destroyed; at += chunk) {
      if (at > 0) await sleep(delay);
      res.write(file.subarray(at, at + chunk));
    }
    return res.end();
  }
  const after = Math.min(file.length, Math.max(0, Number(url.searchParams.get('after')) || 0));
  if (after > 0) res.write(file.subarray(0, after));
  if (route === 'drop') {
    // Let the bytes leave before the connection is torn down.
    await sleep(100);
    res.socket?.destroy();
  }
  // stall: keep the response open and silent until the client goes away.
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    if (!res.headersSent) res.writeHead(500, { 'access-control-allow-origin': '*' });
    res.end(String(error));
  });
});
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`{"port": ${server.address().port}}\n`);
});

function shutdown() {
  for (const socket of sockets) socket.destroy();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
}
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
