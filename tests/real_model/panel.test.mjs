// Real-model tier: the side panel summarizes a local page with a real llama.cpp server (SmolLM2-135M), through a logging proxy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { launch, servePages, tabIdOf } from '../e2e/harness.mjs';

const UPSTREAM = new URL(process.env.PAGEWISE_REAL_BASE_URL ?? 'http://127.0.0.1:18931/v1');
const MODEL = process.env.PAGEWISE_REAL_MODEL ?? 'SmolLM2-135M-Instruct';
const ARTICLE = `<!doctype html><html lang="en"><head><title>Otters use tools</title></head><body>
  <article><h1>Otters use tools</h1><p>Sea otters crack open clams with stones they keep in a pouch under their arm.</p>
  <p>They float on their backs while they eat, and wrap themselves in kelp so they do not drift away while sleeping.</p></article></body></html>`;

/** Forwards to the real server and keeps every request body. */
async function loggingProxy() {
  const bodies = [];
  const server = createServer((req, res) => {
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      if (req.method === 'POST') bodies.push(JSON.parse(body.toString('utf8')));
      const upstream = httpRequest({ host: UPSTREAM.hostname, port: UPSTREAM.port, method: req.method, path: req.url, headers: { ...req.headers, host: UPSTREAM.host } }, (reply) => {
        res.writeHead(reply.statusCode, { ...reply.headers, 'access-control-allow-origin': '*' });
        reply.pipe(res);
      });
      upstream.on('error', (error) => { res.writeHead(502); res.end(String(error)); });
      upstream.end(body);
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}/v1`, bodies, close: () => new Promise((done) => server.close(done)) };
}

let browser;
let site;
let proxy;
before(async () => {
  site = await servePages({ '/otters.html': ARTICLE });
  proxy = await loggingProxy();
  browser = await launch({ grantHosts: ['http://127.0.0.1/*'] });
  await browser.worker.evaluate(async (settings) => chrome.storage.local.set({ settings }), {
    version: 2,
    endpoint: { preset: 'llamacpp', base_url: proxy.url, model: MODEL, api_key: '' },
    // A small window keeps the answer short on two CPU cores.
    answer: { context_budget_tokens: 2048 },
    onboarded: true,
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
  await proxy?.close();
});

test('Summarize page streams a real answer, and a follow-up keeps the page', async () => {
  const page = await browser.context.newPage();
  const pageUrl = `${site.origin}/otters.html`;
  await page.goto(pageUrl);
  const panel = await browser.context.newPage();
  await panel.goto(browser.url(`panel.html?tab=${await tabIdOf(browser.worker, pageUrl)}`));
  const summarize = panel.getByRole('button', { name: 'Summarize page' });
  await summarize.waitFor();
  for (let i = 0; i < 200 && !(await summarize.isEnabled()); i += 1) await new Promise((done) => setTimeout(done, 25));
  await summarize.click();
  await panel.getByRole('button', { name: 'Send' }).waitFor({ timeout: 240_000 });
  const answer = await panel.locator('.turn-assistant .answer').last().textContent();
  assert.ok(answer.trim().length > 0, 'the real model answered');
  assert.equal(await panel.getByRole('log').getByRole('alert').count(), 0);
  assert.match(JSON.stringify(proxy.bodies.at(-1).messages), /crack open clams/);

  const message = panel.getByRole('textbox', { name: 'Message' });
  await message.fill('What do otters sleep in?');
  await message.press('Enter');
  await panel.locator('.turn-assistant').nth(1).waitFor();
  await panel.getByRole('button', { name: 'Send' }).waitFor({ timeout: 240_000 });
  const followUp = proxy.bodies.at(-1).messages;
  assert.deepEqual(followUp.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
  assert.match(followUp[1].content, /crack open clams/);
});
