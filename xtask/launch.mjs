// `cargo xtask run` launcher: opens Chromium with Pagewise on a page, preconfigured for the chosen model endpoint.
import { launch, openSidePanel } from '../tests/e2e/harness.mjs';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname, join, resolve } from 'node:path';

const env = process.env;
const dist = resolve(env.PAGEWISE_DIST);
const headless = env.PAGEWISE_HEADLESS === '1';
const endpoint = { base_url: env.PAGEWISE_BASE_URL, model: env.PAGEWISE_MODEL, api_key: env.PAGEWISE_API_KEY ?? '' };

// A local file is served over loopback: extensions may not read file:// pages without an extra switch.
async function pageUrl(target) {
  if (/^https?:\/\//.test(target)) return { url: target, close: async () => {} };
  const file = resolve(target);
  statSync(file);
  const server = createServer((request, response) => {
    const wanted = join(dirname(file), decodeURIComponent(new URL(request.url, 'http://x').pathname));
    let body;
    try {
      body = readFileSync(wanted);
    } catch {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': wanted.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' });
    response.end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}/${basename(file)}`, close: () => new Promise((done) => server.close(done)) };
}

const page = await pageUrl(env.PAGEWISE_TARGET);
const browser = await launch({ headless, dist });
const { context, worker, extensionId } = browser;

// Preconfigure the endpoint unless the profile already has one.
await worker.evaluate(async (endpoint) => {
  const { settings } = await chrome.storage.local.get('settings');
  if (!settings?.endpoint?.base_url) await chrome.storage.local.set({ settings: { version: 1, endpoint } });
}, endpoint);

const tab = context.pages()[0] ?? (await context.newPage());
await tab.goto(page.url);
// The same path a toolbar click takes: the real side panel opens, with activeTab granted.
const sidePanel = await openSidePanel(context, extensionId, tab).catch((error) => {
  console.error(`could not open the side panel (${error.message}); click the Pagewise toolbar button`);
});
console.log(`Pagewise is running on ${page.url}, using ${endpoint.base_url} (model ${endpoint.model}).`);

if (headless) {
  const expected = JSON.stringify(await tab.title());
  const title = await sidePanel?.waitFor(`document.querySelector('h1.page-title')?.textContent === ${expected} && ${expected}`);
  console.log(`The side panel opened on "${title}".`);
  const tabId = await worker.evaluate(async () => (await chrome.tabs.query({ active: true }))[0]?.id);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 400, height: 700 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${tabId}`);
  await panel.getByRole('textbox', { name: 'Message' }).waitFor();
  const models = await panel.evaluate(async (base) => {
    const response = await fetch(`${base}/models`);
    return response.ok ? (await response.json()).data?.map((m) => m.id) : `HTTP ${response.status}`;
  }, endpoint.base_url).catch((error) => `unreachable: ${error.message}`);
  const shot = resolve(env.PAGEWISE_SCREENSHOT_DIR ?? '.', 'pagewise-panel.png');
  await panel.screenshot({ path: shot });
  console.log(`A copy of the panel in a tab rendered (screenshot: ${shot}); from the extension, the endpoint lists models: ${JSON.stringify(models)}.`);
  console.log('Streaming a summary to this terminal arrives with the side panel work.');
} else {
  console.log('Close the browser window to stop.');
  await new Promise((done) => context.on('close', done));
}
await browser.close().catch(() => {});
await page.close();
