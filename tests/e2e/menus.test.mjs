// E2E: every context-menu entry point, driven through the worker's onMenuClick (the function a real click calls), against the scripted model server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, servePages, tabIdOf } from './harness.mjs';
import { startFakeOpenAI } from '../support/fake_openai.mjs';

const TITLE = 'Tide pools of the northern coast';
const ARTICLE = `<!doctype html><html lang="en"><head><title>${TITLE}</title></head><body><article>
  <h1>${TITLE}</h1><p>The ochre sea star is a keystone species of the pool.</p>
  <p><a href="/kelp.html">Read about kelp forests</a> <img src="/pool.png" alt="A pool"></p></article></body></html>`;
const LINKED = `<!doctype html><html lang="en"><head><title>Kelp forests</title></head><body><article>
  <h1>Kelp forests</h1><p>Giant kelp grows up to half a metre a day in cold, clear water.</p></article></body></html>`;
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('context-menu actions in the panel', () => {
  let browser;
  let site;
  let fake;
  let panel;
  let page;
  let pageUrl;

  /** Clicks a menu item the way the browser's onClicked does, and waits for the panel to ask the model. */
  async function click(info, { expectRequest = true } = {}) {
    const before = fake.requests.length;
    await browser.worker.evaluate(async ({ info, url }) => {
      const [tab] = await chrome.tabs.query({ url });
      await self.pagewise.onMenuClick({ pageUrl: url, ...info }, tab);
    }, { info, url: pageUrl });
    if (!expectRequest) return null;
    for (let i = 0; i < 400 && fake.requests.length === before; i += 1) await new Promise((done) => setTimeout(done, 25));
    assert.equal(fake.requests.length, before + 1, `one request for ${info.menuItemId}`);
    await panel.getByRole('button', { name: 'Send' }).waitFor();
    return fake.lastRequest().body;
  }
  const lastUser = (body) => body.messages.filter((m) => m.role === 'user').at(-1).content;

  before(async () => {
    site = await servePages({ '/article.html': ARTICLE, '/kelp.html': LINKED, '/pool.png': { type: 'image/png', body: PNG } });
    fake = await startFakeOpenAI();
    browser = await launch({ grantHosts: ['http://127.0.0.1/*'] });
    await browser.worker.evaluate(async (settings) => chrome.storage.local.set({ settings }), {
      version: 2, endpoint: { preset: 'custom', base_url: fake.url, model: 'fake-model', api_key: '' }, onboarded: true,
    });
    page = await browser.context.newPage();
    pageUrl = `${site.origin}/article.html`;
    await page.goto(pageUrl);
    // The action is queued before any panel exists: it waits, then runs when the panel opens.
    await browser.worker.evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url });
      await self.pagewise.onMenuClick({ menuItemId: 'summarize-page', pageUrl: url }, tab);
    }, pageUrl);
    panel = await browser.context.newPage();
    await panel.goto(browser.url(`panel.html?tab=${await tabIdOf(browser.worker, pageUrl)}`));
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await fake?.close();
  });

  test('summarize-page, queued before the panel opened, runs when it opens', async () => {
    for (let i = 0; i < 400 && fake.requests.length === 0; i += 1) await new Promise((done) => setTimeout(done, 25));
    assert.equal(fake.requests.length, 1);
    assert.match(lastUser(fake.lastRequest().body), /ochre sea star[\s\S]*## Key points/);
    await panel.getByRole('button', { name: 'Send' }).waitFor();
  });

  test('explain, translate (answer language and a chosen one), summarize and rewrite a selection', async () => {
    const selection = 'The ochre sea star is a keystone species';
    assert.match(lastUser(await click({ menuItemId: 'explain-selection', selectionText: selection })), /^Explain this passage[\s\S]*> The ochre sea star is a keystone species$/);
    assert.match(lastUser(await click({ menuItemId: 'translate-selection:answer', selectionText: selection })), /^Translate this passage into English\./);
    assert.match(lastUser(await click({ menuItemId: 'translate-selection:fr', selectionText: selection })), /^Translate this passage into French\./);
    assert.match(lastUser(await click({ menuItemId: 'summarize-selection', selectionText: selection })), /^Summarize this passage/);
    for (const [style, expected] of [['clearer', /clearer/], ['shorter', /half its length/], ['formal', /formal/], ['grammar', /grammar/]]) {
      assert.match(lastUser(await click({ menuItemId: `rewrite-selection:${style}`, selectionText: selection })), expected);
    }
    // The page stays in context beside the quoted selection.
    assert.match(fake.lastRequest().body.messages.find((m) => m.role === 'user').content, /<untrusted_page>/);
  });

  test('Ask Pagewise… quotes the selection in the composer and waits for the question', async () => {
    await click({ menuItemId: 'ask-selection', selectionText: 'keystone species' }, { expectRequest: false });
    const composer = panel.getByRole('textbox', { name: 'Message' });
    for (let i = 0; i < 200 && !(await composer.inputValue()).includes('keystone'); i += 1) await new Promise((done) => setTimeout(done, 25));
    assert.equal(await composer.inputValue(), '> keystone species\n\n');
    await composer.press('End');
    await composer.type('Why does it matter?');
    const before = fake.requests.length;
    await composer.press('Enter');
    for (let i = 0; i < 400 && fake.requests.length === before; i += 1) await new Promise((done) => setTimeout(done, 25));
    assert.equal(lastUser(fake.lastRequest().body), '> keystone species\n\nWhy does it matter?');
    await panel.getByRole('button', { name: 'Send' }).waitFor();
  });

  test('Chat about this page puts the page in context and focuses the composer', async () => {
    await panel.getByRole('button', { name: 'New chat' }).click();
    await click({ menuItemId: 'chat-page' }, { expectRequest: false });
    await panel.getByRole('region', { name: 'Page in context' }).getByText(TITLE).waitFor();
    // New chat may already show the page, so the region alone does not prove the action ran: wait for the focus it moves.
    const focusedLabel = () => panel.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    for (let i = 0; i < 200 && (await focusedLabel()) !== 'Message'; i += 1) await new Promise((done) => setTimeout(done, 25));
    assert.equal(await focusedLabel(), 'Message');
  });

  test('Summarize linked page reads the link target and summarizes it in a new conversation', async () => {
    const body = await click({ menuItemId: 'summarize-link', linkUrl: `${site.origin}/kelp.html` });
    const user = lastUser(body);
    assert.match(user, /<untrusted_page>[\s\S]*Giant kelp grows[\s\S]*<\/untrusted_page>/);
    assert.doesNotMatch(user, /ochre sea star/, 'the linked page, not the one in the tab');
    assert.match(user, /## Key points/);
    await panel.getByRole('region', { name: 'Page in context' }).getByText('Kelp forests').waitFor();
  });

  test('Describe image sends the image; a model that refuses images gets a clear message', async () => {
    const body = await click({ menuItemId: 'describe-image', srcUrl: `${site.origin}/pool.png` });
    const parts = body.messages.filter((m) => m.role === 'user').at(-1).content;
    assert.ok(Array.isArray(parts), 'text and image parts');
    assert.match(JSON.stringify(parts), /Describe this image/);
    assert.match(JSON.stringify(parts), /data:image\/png;base64,iVBORw0KGgo/);

    fake.script({ status: 400, body: { error: { message: 'Invalid content type. image_url is only supported by certain models.', type: 'invalid_request_error' } } });
    await click({ menuItemId: 'describe-image', srcUrl: `${site.origin}/pool.png` });
    await panel.getByRole('log').getByRole('alert').getByText(/may not read images/).waitFor();
  });

  test('the Explain command reads the selection from the page itself', async () => {
    await panel.getByRole('button', { name: 'New chat' }).click();
    await page.evaluate(() => {
      const paragraph = document.querySelector('article p');
      const range = document.createRange();
      range.selectNodeContents(paragraph);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    });
    const body = await click({ menuItemId: 'explain-selection', fromCommand: true });
    assert.match(lastUser(body), /<\/untrusted_page>\n\nExplain this passage[\s\S]*> The ochre sea star is a keystone species of the pool\.$/);
  });

  test('the settings drawer lists the keyboard shortcuts and links to the browser’s page for them', async () => {
    await panel.getByRole('button', { name: 'Settings' }).click();
    const drawer = panel.getByRole('complementary', { name: 'Settings' });
    const shortcuts = drawer.getByRole('region', { name: 'Keyboard shortcuts' });
    await shortcuts.getByText('Alt+Shift+S').waitFor();
    await shortcuts.getByText('Alt+Shift+E').waitFor();
    await shortcuts.getByRole('button', { name: 'Change shortcuts' }).waitFor();
    await panel.getByRole('button', { name: 'Close settings' }).click();
  });

  test('the user’s own action appears in the menu as soon as it is saved, and asks its filled prompt of its model', async () => {
    await browser.worker.evaluate(async () => {
      const { settings } = await chrome.storage.local.get('settings');
      settings.custom_actions = [{
        id: 'reply', name: 'Draft a reply', contexts: ['selection'], model: 'fake-large',
        template: 'Reply politely to: {{selection}} (from “{{title}}”, in {{language}})',
      }];
      await chrome.storage.local.set({ settings });
    });
    const created = await browser.worker.evaluate(async () => {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        if (await chrome.contextMenus.update('custom-action:reply', {}).then(() => true, () => false)) return true;
        await new Promise((done) => setTimeout(done, 100));
      }
      return false;
    });
    assert.equal(created, true, 'the menu item exists');
    await panel.getByRole('button', { name: 'New chat' }).click();
    const body = await click({ menuItemId: 'custom-action:reply', selectionText: 'Can I visit the pools tomorrow?' });
    assert.equal(body.model, 'fake-large');
    assert.match(lastUser(body), /Reply politely to: Can I visit the pools tomorrow\? \(from “Tide pools of the northern coast”, in English\)$/);
    assert.match(lastUser(body), /<untrusted_page>/, 'the page stays fenced in the context');
  });

  test('on a page no extension may read, the action says so instead of failing silently', async () => {
    const browserPage = await browser.context.newPage();
    await browserPage.goto('chrome://version');
    const tabId = await browser.worker.evaluate(async () => (await chrome.tabs.query({})).find((t) => (t.url ?? t.pendingUrl ?? '').startsWith('chrome://version'))?.id
      ?? (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
    const side = await browser.context.newPage();
    await side.goto(browser.url(`panel.html?tab=${tabId}`));
    await side.getByRole('button', { name: 'Summarize page' }).waitFor();
    const before = fake.requests.length;
    await browser.worker.evaluate(async (id) => {
      const tab = await chrome.tabs.get(id);
      await self.pagewise.onMenuClick({ menuItemId: 'summarize-page', pageUrl: 'chrome://version/' }, tab);
    }, tabId);
    await side.getByRole('region', { name: 'Page in context' }).getByText(/Browsers do not let extensions read their own pages/).waitFor();
    assert.equal(fake.requests.length, before, 'nothing is sent');
    await side.close();
    await browserPage.close();
  });
});
