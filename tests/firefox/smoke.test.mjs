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
  // The same menus as Chromium, submenus included.
  const ids = [
    'chat-page', 'explain-selection', 'translate-selection', 'translate-selection:answer', 'translate-selection:fr',
    'summarize-selection', 'rewrite-selection', 'rewrite-selection:shorter', 'ask-selection', 'summarize-link',
    'describe-image',
  ];
  for (const id of ids) {
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
    fill('sf-base-url', 'http://127.0.0.1:11434/v1');
    fill('sf-model', 'qwen2.5:7b');
    fill('sf-api-key', 'sk-firefox');
    document.querySelector('button[type="submit"]').click();
    return true;
  })()`);
  await firefox.waitFor(`document.querySelector('p.status[role="status"]')?.textContent === 'Saved'`);
  await firefox.open('options.html');
  const values = await firefox.waitFor(`document.getElementById('sf-model')?.value && ['sf-base-url', 'sf-model', 'sf-api-key'].map((id) => document.getElementById(id).value)`);
  assert.deepEqual(values, ['http://127.0.0.1:11434/v1', 'qwen2.5:7b', 'sk-firefox']);
});

test('the sidebar panel streams an answer from the model and renders it safely', async () => {
  const { startFakeOpenAI } = await import('../support/fake_openai.mjs');
  const fake = await startFakeOpenAI();
  try {
    fake.script({ text: '## Tide pools\n\n- **Anemones** and crabs\n\n<script>window.__xss = 1</script>', tokenDelayMs: 1 });
    await firefox.open('panel.html');
    await firefox.waitFor(`document.querySelector('textarea[aria-label="Message"]') !== null`);
    await firefox.evaluate(`browser.storage.local.set({ settings: { version: 2, endpoint: { preset: 'custom', base_url: ${JSON.stringify(fake.url)}, model: 'fake-model', api_key: '' }, onboarded: true } }).then(() => true)`);
    await firefox.open('panel.html');
    await firefox.waitFor(`(() => { const t = document.querySelector('textarea[aria-label="Message"]'); return t && !t.disabled; })()`);
    await firefox.evaluate(`(() => {
      const message = document.querySelector('textarea[aria-label="Message"]');
      message.value = 'What lives in tide pools?';
      message.dispatchEvent(new Event('input', { bubbles: true }));
      message.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      return true;
    })()`);
    const rendered = await firefox.waitFor(`(() => {
      const answer = document.querySelector('.turn-assistant .answer');
      const done = [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Send');
      return answer && done && answer.querySelector('h2') && {
        heading: answer.querySelector('h2').textContent,
        bold: answer.querySelector('li strong')?.textContent,
        scripts: document.querySelectorAll('[role="log"] script').length,
        xss: window.__xss ?? null,
        text: answer.textContent,
      };
    })()`);
    assert.equal(rendered.heading, 'Tide pools');
    assert.equal(rendered.bold, 'Anemones');
    assert.equal(rendered.scripts, 0);
    assert.equal(rendered.xss, null);
    assert.match(rendered.text, /<script>window.__xss = 1<\/script>/);
    assert.equal(fake.lastRequest().body.messages.at(-1).content, 'What lives in tide pools?');
  } finally {
    await fake.close();
  }
});
