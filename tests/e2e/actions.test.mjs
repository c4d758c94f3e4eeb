// E2E: the user's own actions in the options page: add with a live preview, store, export, delete, import back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch } from './harness.mjs';

let browser;

const storedActions = async () =>
  browser.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings?.custom_actions ?? []);

const waitUntil = async (check, what, timeout = 10_000) => {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
};

describe('custom actions in the options page', () => {
  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  test('an action is added with a live preview, exported, deleted and imported back', async () => {
    await browser.worker.evaluate(() => chrome.storage.local.remove('settings'));
    const options = await browser.context.newPage();
    await options.goto(browser.url('options.html'));
    const editor = options.getByRole('region', { name: 'Your actions' });
    await editor.getByRole('heading', { name: 'Your actions' }).waitFor();
    await editor.getByText('No actions yet').waitFor();

    await editor.getByRole('button', { name: 'Add action', exact: true }).click();
    await editor.getByLabel('Name', { exact: true }).fill('Polite reply');
    await editor.getByLabel('Prompt template').fill('Reply politely to: {{selection}}');
    await editor.getByLabel('Page', { exact: true }).check();
    await editor.getByLabel('Selected text').check();
    await editor.getByLabel('Page', { exact: true }).uncheck();
    const preview = editor.locator('.action-preview-text');
    await preview.getByText('Reply politely to: Tide pools hold anemones.').waitFor();

    await editor.getByRole('button', { name: 'Save action', exact: true }).click();
    await editor.getByRole('status').getByText('Stored').waitFor();
    let stored = await storedActions();
    assert.equal(stored.length, 1);
    assert.deepEqual({ ...stored[0], model: stored[0].model ?? null }, {
      id: 'polite-reply',
      name: 'Polite reply',
      template: 'Reply politely to: {{selection}}',
      contexts: ['selection'],
      model: null,
    });
    const row = editor.getByRole('list', { name: 'Your actions' }).getByRole('listitem');
    assert.equal(await row.count(), 1);
    await row.getByText('Polite reply').waitFor();

    // An empty name is refused beside the form, and nothing changes.
    await editor.getByRole('button', { name: 'Edit “Polite reply”' }).click();
    await editor.getByLabel('Name', { exact: true }).fill('  ');
    await editor.getByRole('button', { name: 'Save action', exact: true }).click();
    await editor.getByRole('alert').getByText('The action needs a name').waitFor();
    assert.equal(await editor.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
    await editor.getByRole('button', { name: 'Cancel' }).click();

    const download = options.waitForEvent('download');
    await editor.getByRole('button', { name: 'Export actions' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'pagewise-actions.json');
    const exportedPath = await file.path();
    const exported = JSON.parse(readFileSync(exportedPath, 'utf8'));
    assert.equal(exported.format, 'pagewise-actions');
    assert.equal(exported.version, 1);
    assert.deepEqual(exported.actions, stored);

    await editor.getByRole('button', { name: 'Delete “Polite reply”' }).click();
    await editor.getByText('No actions yet').waitFor();
    await waitUntil(async () => (await storedActions()).length === 0, 'the deletion to be stored');

    await editor.getByLabel('Import actions').setInputFiles(exportedPath);
    await editor.getByRole('status').getByText('Actions imported: 1').waitFor();
    stored = await storedActions();
    assert.deepEqual(stored, exported.actions, 'the round trip keeps the action as it was');
    await row.getByText('Polite reply').waitFor();

    // The suggested actions join the list once; a second click adds nothing.
    await editor.getByRole('button', { name: 'Add suggested actions' }).click();
    await waitUntil(async () => (await storedActions()).length === 5, 'the suggested actions');
    await editor.getByRole('button', { name: 'Add suggested actions' }).click();
    await editor.getByRole('status').getByText('already in your list').waitFor();
    assert.equal((await storedActions()).length, 5);
    assert.equal(await row.count(), 5);

    // A file that is not an export is refused with the reason, and nothing changes.
    await editor.getByLabel('Import actions').setInputFiles({
      name: 'history.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"pagewise-history","version":1,"conversations":[]}'),
    });
    await editor.getByRole('status').getByText('not a Pagewise actions export').waitFor();
    assert.equal((await storedActions()).length, 5);

    // The settings form still saves the rest of the record without losing the actions.
    // A remote endpoint: a loopback one would ask for host access, which automation cannot grant.
    await options.getByLabel('Base URL').fill('https://llm.example.org/v1');
    await options.getByLabel('Model', { exact: true }).fill('smollm2');
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await waitUntil(async () => {
      const settings = await browser.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
      return settings?.endpoint?.model === 'smollm2' && settings.custom_actions.length === 5;
    }, 'the settings saved with the actions kept');
    await browser.worker.evaluate(() => chrome.storage.local.remove('settings'));
    await options.close();
  });

  test('the Chinese interface suggests the Chinese actions', async () => {
    await browser.worker.evaluate(() => chrome.storage.local.set({ settings: { version: 2, ui_language: 'zh_cn' } }));
    const options = await browser.context.newPage();
    await options.goto(browser.url('options.html'));
    const editor = options.getByRole('region', { name: '你的操作' });
    await editor.getByRole('button', { name: '添加推荐操作' }).click();
    await waitUntil(async () => (await storedActions()).length === 4, 'the suggested actions');
    const names = (await storedActions()).map((action) => action.name);
    assert.ok(names.includes('起草回复') && names.includes('提取待办事项'), names.join());
    await editor.getByRole('button', { name: '编辑“起草回复”' }).click();
    await editor.locator('.action-preview-text').getByText('潮池里生活着海葵。').waitFor();
    await browser.worker.evaluate(() => chrome.storage.local.remove('settings'));
    await options.close();
  });
});
