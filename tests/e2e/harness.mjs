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
 * Launches Chromium with the extension. `grantHosts` loads a copy whose
 * manifest lists those host permissions: the only way to simulate the user
 * granting access, since permission prompts cannot be answered in automation.
 */
export async function launch({ grantHosts = [] } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'pagewise-profile-'));
  let extensionDir = DIST;
  if (grantHosts.length > 0) {
    extensionDir = mkdtempSync(join(tmpdir(), 'pagewise-ext-'));
    cpSync(DIST, extensionDir, { recursive: true });
    const manifestPath = join(extensionDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.host_permissions = grantHosts;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--no-first-run',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    if (extensionDir !== DIST) rmSync(extensionDir, { recursive: true, force: true });
  };
  return { context, worker, extensionId, url: (path) => `chrome-extension://${extensionId}/${path}`, close };
}

/** Serves `pages` ({path: html}) on a loopback port; resolves to {origin, close}. */
export async function servePages(pages) {
  const server = createServer((request, response) => {
    const body = pages[new URL(request.url, 'http://x').pathname];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
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
