// E2E: Chromium rewrites Origin for a configured loopback endpoint that rejects extension origins, as Ollama does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch } from './harness.mjs';

/** A stand-in for Ollama's origin check: 403 with an empty body unless Origin is its own loopback origin. */
async function ollamaLike() {
  const seen = [];
  const server = createServer((request, response) => {
    const origin = request.headers.origin;
    seen.push(origin ?? null);
    if (origin && !/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin)) {
      response.writeHead(403, { 'content-length': '0' });
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ models: [{ name: 'qwen2.5:7b' }] }));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((done) => server.close(done)) };
}

let ollama;
let other;
let browser;
before(async () => {
  ollama = await ollamaLike();
  other = await ollamaLike();
  // The test copy lists both hosts: the consent a user gives when asked.
  browser = await launch({ grantHosts: [`${ollama.origin}/*`, `${other.origin}/*`] });
});
after(async () => {
  await browser?.close();
  await ollama?.close();
  await other?.close();
});

// A chat request is a POST, which carries the extension's Origin.
const chatStatus = (page, origin) => page.evaluate(
  async (url) => (await fetch(`${url}/api/chat`, { method: 'POST', body: '{}' })).status,
  origin,
);

test('saving a loopback endpoint makes it answer the extension, and only that endpoint', async () => {
  const options = await browser.context.newPage();
  await options.goto(browser.url('options.html'));
  await options.getByRole('button', { name: 'Save' }).waitFor();
  assert.equal(await chatStatus(options, ollama.origin), 403, 'before: rejected like Ollama without OLLAMA_ORIGINS');
  assert.match(ollama.seen.at(-1), /^chrome-extension:\/\//);

  await options.getByLabel('Base URL').fill(ollama.origin);
  await options.getByLabel('Model').fill('qwen2.5:7b');
  await options.getByRole('button', { name: 'Save' }).click();
  await options.getByRole('status').getByText('Saved').waitFor();

  assert.equal(await chatStatus(options, ollama.origin), 200);
  assert.equal(ollama.seen.at(-1), ollama.origin, 'the request carried the server\'s own origin');
  assert.equal(await chatStatus(options, other.origin), 403, 'another local server is left alone');
  assert.match(other.seen.at(-1), /^chrome-extension:\/\//);
  await options.close();
});

test('the worker re-applies the rewrite when it starts', async () => {
  const rules = await browser.worker.evaluate(async () => {
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [1] });
    const active = await self.pagewise.restart();
    return { active, rules: await chrome.declarativeNetRequest.getSessionRules() };
  });
  assert.equal(rules.active, true);
  assert.equal(rules.rules.length, 1);
  assert.equal(rules.rules[0].action.requestHeaders[0].value, ollama.origin);
});
