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
  if (!settings?.endpoint?.base_url) await chrome.storage.local.set({ settings: { version: 2, endpoint: { preset: '', ...endpoint }, onboarded: true } });
}, endpoint);

const tab = context.pages()[0] ?? (await context.newPage());
await tab.goto(page.url);
// The same path a toolbar click takes: the real side panel opens, with activeTab granted.
const sidePanel = await openSidePanel(context, extensionId, tab).catch((error) => {
  console.error(`could not open the side panel (${error.message}); click the Pagewise toolbar button`);
});
console.log(`Pagewise is running on ${page.url}, using ${endpoint.base_url} (model ${endpoint.model}).`);

if (headless) {
  // The main job, end to end: the real side panel (activeTab from the toolbar
  // click) reads the page, and "Summarize page" streams the answer, which is
  // echoed here line by line as the panel renders it.
  if (!sidePanel) process.exit(1);
  const expected = JSON.stringify(await tab.title());
  const title = await sidePanel.waitFor(`document.querySelector('h1.page-title')?.textContent === ${expected} && ${expected}`);
  console.log(`The side panel opened on "${title}". Summarizing…\n`);
  await sidePanel.waitFor(`(() => { const b = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Summarize page'); return b && !b.disabled; })()`);
  await sidePanel.evaluate(`[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Summarize page').click()`);
  const read = `(() => {
    const turn = [...document.querySelectorAll('.turn-assistant')].pop();
    const chip = document.querySelector('.context [role="alert"]');
    return {
      started: !!turn,
      text: turn?.querySelector('.answer')?.innerText ?? '',
      streaming: !!document.querySelector('.composer .stop') || !!turn?.querySelector('.turn-status.streaming'),
      error: turn?.querySelector('[role="alert"]')?.innerText ?? (turn ? null : chip?.innerText ?? null),
      notice: [...document.querySelectorAll('.turn-notice')].pop()?.innerText ?? null,
    };
  })()`;
  let printed = '';
  let state;
  const deadline = Date.now() + 10 * 60 * 1000;
  for (;;) {
    state = await sidePanel.evaluate(read);
    // Whole lines only while streaming: the last line may still change its formatting.
    const stable = state.streaming ? state.text.slice(0, state.text.lastIndexOf('\n') + 1) : state.text;
    if (stable.startsWith(printed)) {
      process.stdout.write(stable.slice(printed.length));
      printed = stable;
    } else if (stable.length > 0) {
      process.stdout.write(`\n${stable}`);
      printed = stable;
    }
    if ((state.started && !state.streaming) || (!state.started && (state.error || state.notice)) || Date.now() > deadline) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  process.stdout.write('\n');
  await sidePanel.detach();
  const tabId = await worker.evaluate(async () => (await chrome.tabs.query({ active: true }))[0]?.id);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 420, height: 760 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tab=${tabId}`);
  await panel.getByRole('textbox', { name: 'Message' }).waitFor();
  await new Promise((done) => setTimeout(done, 500));
  const shot = resolve(env.PAGEWISE_SCREENSHOT_DIR ?? '.', 'pagewise-panel.png');
  await panel.screenshot({ path: shot });
  console.log(`(screenshot of the panel: ${shot})`);
  const failure = state.error ?? state.notice;
  if (failure || !state.started || state.text.trim() === '') {
    console.error(`No summary: ${failure ?? 'the answer was empty'}`);
    await browser.close().catch(() => {});
    await page.close();
    process.exit(1);
  }
} else {
  console.log('Close the browser window to stop.');
  await new Promise((done) => context.on('close', done));
}
await browser.close().catch(() => {});
await page.close();
