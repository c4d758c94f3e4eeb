// Firefox smoke: dist/firefox installed in firefox-esr: background, menus, sidebar panel, options.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox } from './bidi.mjs';

let firefox;
before(async () => {
  firefox = await launchFirefox();
});
after(async () => {
  await firefox?.close();
});

const backgroundReady = `browser.runtime.getBackgroundPage().then((page) => page.pagewise.ready.then(() => typeof page.pagewise.onMenuClick))`;

test('the background script loads the wasm and exposes the menu entry point', async () => {
  await firefox.open('options.html');
  assert.equal(await firefox.waitFor(backgroundReady), 'function');
});

test('install creates every context-menu item', async () => {
  await firefox.open('options.html');
  await firefox.waitFor(backgroundReady);
  const exists = (id) => `browser.contextMenus.update(${JSON.stringify(id)}, {}).then(() => true, () => false)`;
  const found = await firefox.waitFor(exists('summarize-page'));
  assert.equal(found, true);
  for (const id of ['explain-selection', 'translate-selection', 'summarize-selection']) {
    assert.equal(await firefox.evaluate(exists(id)), true, id);
  }
  assert.equal(await firefox.evaluate(exists('no-such-item')), false);
});

test('a menu click without a gesture queues its action for the tab', async () => {
  await firefox.open('options.html');
  await firefox.waitFor(backgroundReady);
  const outcome = await firefox.evaluate(`(async () => {
    const page = await browser.runtime.getBackgroundPage();
    const result = await page.pagewise.onMenuClick({ menuItemId: 'explain-selection', selectionText: 'sea stars', pageUrl: 'https://example.org/' }, { id: 4242, windowId: 1 });
    const all = await browser.storage.session.get(null);
    const stored = Object.keys(all).filter((key) => key.startsWith('pending_actions:4242:')).sort().map((key) => all[key]);
    return { opened: result.panelOpened, stored };
  })()`);
  assert.equal(outcome.opened, false);
  assert.deepEqual(outcome.stored, [
    { kind: 'explain_selection', menu_item_id: 'explain-selection', selection: 'sea stars', page_url: 'https://example.org/' },
  ]);
});

test('the sidebar panel renders its controls', async () => {
  await firefox.open('panel.html');
  const ready = await firefox.waitFor(`(() => {
    const message = document.querySelector('textarea[aria-label="Message"]');
    return message && !message.disabled && {
      send: [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Send'),
      summarize: [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Summarize page'),
      log: document.querySelectorAll('[role="log"]').length,
    };
  })()`);
  assert.deepEqual(ready, { send: true, summarize: true, log: 1 });
});

test('settings saved in the options page survive a reload', async () => {
  await firefox.open('options.html');
  await firefox.waitFor(`document.querySelector('button[type="submit"]')?.disabled === false`);
  await firefox.evaluate(`(() => {
    const fill = (id, value) => {
      const input = document.getElementById(id);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    fill('base-url', 'http://127.0.0.1:11434/v1');
    fill('model', 'qwen2.5:7b');
    fill('api-key', 'sk-firefox');
    document.querySelector('button[type="submit"]').click();
    return true;
  })()`);
  await firefox.waitFor(`document.querySelector('[role="status"]').textContent === 'Saved'`);
  await firefox.open('options.html');
  const values = await firefox.waitFor(`document.getElementById('model').value && ['base-url', 'model', 'api-key'].map((id) => document.getElementById(id).value)`);
  assert.deepEqual(values, ['http://127.0.0.1:11434/v1', 'qwen2.5:7b', 'sk-firefox']);
});
