// Test-only OpenAI-compatible server: scripted chat streams, errors and stalls on loopback, with a request log.
//
// import { startFakeOpenAI } from './fake_openai.mjs';
//   const fake = await startFakeOpenAI();      // fake.url is the base URL (…/v1)
//   fake.script({ text: 'Hello', tokenDelayMs: 5 });   // the next chat request's answer
//   fake.script({ status: 429, body: {...}, headers: {'retry-after': '7'} });
//   fake.script({ text: 'partial', cut: true });        // the socket is destroyed after the text
//   fake.script({ text: 'slow…', tokenDelayMs: 200 });  // one token per event, slowly
//   fake.script({ reasoning: 'Let me think…', text: 'Answer' }); // reasoning_content deltas first
//   fake.script({ text: 'Hi', usage: { prompt_tokens: 900 } });  // a usage chunk before [DONE]
//   fake.setDefaults({ tokenDelayMs: 20 });             // how unscripted answers stream
//   fake.setContextLength(4096);                        // the model list reports fake-model's window
//   fake.requests                                       // every chat request: {headers, body, receivedAt, finishedAt}
// Unscripted requests get a default answer that quotes the start of the last user message.
// Run directly (`node fake_openai.mjs`) it prints {"url": …} and serves until stdin closes.

import { createServer } from 'node:http';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': '*',
};

/** Splits text into model-like tokens: words with their leading space, and CJK characters one by one. */
export function tokens(text) {
  return text.match(/\s*[\u3400-\u9fff]|\s*[^\s\u3400-\u9fff]+|\s+/gu) ?? [];
}

function chunk(content) {
  return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export async function startFakeOpenAI({ port = 0 } = {}) {
  const queue = [];
  const requests = [];
  let fallback = {};
  let contextLength = null;
  const modelLists = { count: 0 };
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    // The 'request' event fires as the request's head arrives, before the body is read.
    const receivedAt = Date.now();
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      return res.end();
    }
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && path.endsWith('/models')) {
      modelLists.count += 1;
      res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
      const window = contextLength ? { context_length: contextLength } : {};
      return res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model', ...window }, { id: 'fake-large', object: 'model' }] }));
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      res.writeHead(404, { ...CORS, 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: `no route ${path}` } }));
    }
    const parts = [];
    for await (const part of req) parts.push(part);
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      body = null;
    }
    const entry = { headers: req.headers, body, receivedAt };
    requests.push(entry);
    // When the answer's last byte was written (a client can only start its next request after it).
    res.on('close', () => { entry.finishedAt ??= Date.now(); });
    const step = queue.shift() ?? { text: defaultAnswer(body), ...fallback };
    if (step.status) {
      res.writeHead(step.status, { ...CORS, 'content-type': 'application/json', ...(step.headers ?? {}) });
      return res.end(typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? { error: { message: 'scripted error' } }));
    }
    res.writeHead(200, { ...CORS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    if (step.firstByteDelayMs) await sleep(step.firstByteDelayMs);
    for (const token of tokens(step.reasoning ?? '')) {
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { reasoning_content: token }, finish_reason: null }] })}\n\n`);
    }
    for (const token of step.tokens ?? tokens(step.text ?? '')) {
      if (res.destroyed) return;
      res.write(chunk(token));
      if (step.tokenDelayMs) await sleep(step.tokenDelayMs);
    }
    if (step.cut) {
      // Let the bytes reach the client first: a reset before any byte makes
      // Chromium silently resend the POST on a fresh connection.
      await sleep(100);
      return res.destroy();
    }
    if (step.stall) return; // never ends: the client's idle timeout or Stop ends it
    if (step.usage) {
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: step.usage })}\n\n`);
    }
    res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    entry.finishedAt = Date.now();
    res.end('data: [DONE]\n\n');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    script: (...steps) => queue.push(...steps),
    // How unscripted answers go, such as { tokenDelayMs: 20 } or { text: 'Same answer every time.' }.
    setDefaults: (step) => { fallback = { ...step }; },
    // The context window the model list reports for fake-model (OpenRouter's `context_length`); null for none.
    setContextLength: (tokens) => { contextLength = tokens; },
    // How many times the model list was asked for.
    modelListsServed: () => modelLists.count,
    lastRequest: () => requests[requests.length - 1],
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((done) => server.close(done));
    },
  };
}

function defaultAnswer(body) {
  const messages = body?.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  const title = /Title: (.*)/.exec(text)?.[1];
  return `**Gist:** a page${title ? ` titled “${title}”` : ''}.\n\n## Key points\n- First point\n- Second point\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fake = await startFakeOpenAI({ port: Number(process.env.PORT ?? 0) });
  console.log(JSON.stringify({ url: fake.url }));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
