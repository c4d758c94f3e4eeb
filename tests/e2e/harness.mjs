// E2E harness: launches Debian Chromium with a built Pagewise loaded, and serves local test pages.
import { chromium } from 'playwright-core';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = resolve(process.env.PAGEWISE_DIST ?? join(ROOT, 'dist/chrome'));
export const CHROMIUM = process.env.PAGEWISE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Polls `check` until it returns something truthy and returns that; throws
 * after `timeoutMs` (`what` names the wait in the error).
 */
export async function waitUntil(check, what = 'condition', { timeoutMs = 10_000, everyMs = 25 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((done) => setTimeout(done, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Opens the side panel as a tab (`panel.html?tab=ID`) for the tab showing
 * `pageUrl`, and waits until its composer is enabled.
 */
export async function openPanelTab(browser, pageUrl, { timeoutMs = 20_000 } = {}) {
  const tabId = await tabIdOf(browser.worker, pageUrl);
  const panel = await browser.context.newPage();
  await panel.goto(browser.url(`panel.html?tab=${tabId}`));
  await waitUntil(() => panel.evaluate(() => {
    const composer = document.querySelector('textarea[aria-label="Message"]');
    return composer && !composer.disabled;
  }), 'the panel', { timeoutMs, everyMs: 10 });
  return panel;
}

/**
 * Launches Chromium with the extension. `grantHosts` loads a copy whose
 * manifest lists those host permissions: the only way to simulate the user
 * granting access, since permission prompts cannot be answered in automation.
 */
export async function launch({ grantHosts = [], headless = true, dist = DIST, profile: keptProfile } = {}) {
  // A given profile directory is kept (a browser restart reuses it); otherwise a fresh one is removed on close.
  const profile = keptProfile ?? mkdtempSync(join(tmpdir(), 'pagewise-profile-'));
  let extensionDir = dist;
  if (grantHosts.length > 0) {
    extensionDir = mkdtempSync(join(tmpdir(), 'pagewise-ext-'));
    cpSync(dist, extensionDir, { recursive: true });
    const manifestPath = join(extensionDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.host_permissions = grantHosts;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    viewport: headless ? undefined : null,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      // Chromium refuses to start as root without it; everyone else keeps the sandbox.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--no-first-run',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Lets CDP press the toolbar button (Extensions.triggerAction).
      '--enable-unsafe-extension-debugging',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  // The 'serviceworker' event can fire before the worker's script finished
  // evaluating; a toolbar click dispatched then is lost. Wait until its
  // listeners are registered and the wasm is ready, as it is for any user.
  await worker.evaluate(() => self.pagewise.ready);
  const close = async () => {
    await context.close();
    if (!keptProfile) rmSync(profile, { recursive: true, force: true });
    if (extensionDir !== dist) rmSync(extensionDir, { recursive: true, force: true });
  };
  return { context, worker, extensionId, url: (path) => `chrome-extension://${extensionId}/${path}`, close };
}

/**
 * Serves `pages` on a loopback port: {path: html} or {path: {type, body}}
 * for other content; resolves to {origin, close}.
 */
export async function servePages(pages) {
  const server = createServer((request, response) => {
    const entry = pages[new URL(request.url, 'http://x').pathname];
    const { type, body } = typeof entry === 'object' && entry !== null && !Buffer.isBuffer(entry)
      ? entry
      : { type: 'text/html; charset=utf-8', body: entry };
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': type });
    response.end(body ?? 'not found');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((done) => server.close(done)) };
}

/** The browser's tab id of a page, looked up from the worker by URL. */
export async function tabIdOf(worker, pageUrl) {
  return worker.evaluate(async (url) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === url || tab.pendingUrl === url)?.id
      ?? (await chrome.tabs.query({ active: true }))[0]?.id;
  }, pageUrl);
}

/**
 * Presses the toolbar button for the tab showing `page`, exactly as a user
 * click does (so activeTab is granted), and attaches to the real side panel
 * that opens. Playwright does not list the side panel as a page, so this
 * speaks raw CDP; `evaluate(expression)` runs in the panel and returns a value.
 */
export async function openSidePanel(context, extensionId, page) {
  const cdp = await context.browser().newBrowserCDPSession();
  const { targetInfos: tabs } = await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] });
  const tab = tabs.find((target) => target.url === page.url()) ?? tabs.find((target) => target.embedderData?.tabActive);
  await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
  let panel;
  for (let attempt = 0; attempt < 200 && !panel; attempt += 1) {
    const { targetInfos } = await cdp.send('Target.getTargets');
    panel = targetInfos.find((target) => target.type === 'page' && target.url === `chrome-extension://${extensionId}/panel.html`);
    if (!panel) await new Promise((done) => setTimeout(done, 25));
  }
  if (!panel) throw new Error('the side panel did not open');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: panel.targetId, flatten: false });
  const waiting = new Map();
  let nextId = 1;
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const send = (method, params) => new Promise((done) => {
    const id = nextId++;
    waiting.set(id, done);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
  const evaluate = async (expression) => {
    const reply = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (reply.error || reply.result?.exceptionDetails) throw new Error(JSON.stringify(reply.error ?? reply.result.exceptionDetails));
    return reply.result.result.value;
  };
  /** Polls `expression` in the panel until it is truthy; returns its value. */
  const waitFor = async (expression) => {
    for (let attempt = 0; attempt < 400; attempt += 1) {
      const value = await evaluate(expression);
      if (value) return value;
      await new Promise((done) => setTimeout(done, 25));
    }
    throw new Error(`the side panel never satisfied: ${expression}`);
  };
  return { evaluate, waitFor, targetId: panel.targetId, detach: () => cdp.detach() };
}
