// E2E: long pages and long chats in real Chromium with a 4,096-token model: a 1 MB article summarized in parts (every request within the window, progress, a reduce, coverage), a planted fact found by retrieval and scrolled to, the prompt sent shown, a cut prompt flagged, Stop during reading, and a long chat trimmed visibly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, openPanelTab, servePages, waitUntil } from './harness.mjs';
import { startFakeOpenAI } from '../support/fake_openai.mjs';
import { FACT, longArticle } from '../support/long_article.mjs';

const WINDOW = 4096;
const QUESTION = "What is the harbour pilot's code word?";
const FACT_HEADING = /The harbour pilot's signals/;
const SHORT_PAGE = `<!doctype html><html lang="en"><head><title>Anemones</title></head><body><article>
  <h1>Anemones</h1><p>Sea anemones are animals related to corals and jellyfish. They sting small fish.</p></article></body></html>`;

const article = longArticle(1024 * 1024);
const SCREENSHOTS = join(ROOT, 'target', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

const textOf = (message) => (typeof message.content === 'string'
  ? message.content
  : message.content.filter((part) => part.type === 'text').map((part) => part.text).join(''));
const firstUserText = (request) => textOf(request.body.messages.find((m) => m.role === 'user'));

describe('long pages with a 4k-token model', () => {
  let browser;
  let site;
  let fake;
  let panel;
  let page;
  const pageUrl = () => `${site.origin}/long.html`;

  /** The panel's own estimate of a request's cost: every message's text plus the answer's cap. */
  async function requestCost(body) {
    const texts = body.messages.map(textOf);
    const counted = await panel.evaluate(async (texts) => {
      const { estimate_tokens } = await import(chrome.runtime.getURL('pagewise.js'));
      return texts.map((text) => estimate_tokens(text));
    }, texts);
    return counted.reduce((sum, tokens) => sum + tokens, 0) + body.max_tokens;
  }

  async function newChat() {
    await panel.getByRole('button', { name: 'New chat' }).click();
    await waitUntil(() => panel.locator('.turn').count().then((count) => count === 0), 'an empty chat');
  }

  async function lastAnswerSettled() {
    await waitUntil(async () => (await panel.locator('.turn-assistant[aria-busy="true"]').count()) === 0
      && (await panel.getByRole('button', { name: 'Send' }).count()) > 0, 'the answer to finish', { timeoutMs: 30_000 });
  }

  before(async () => {
    site = await servePages({ '/long.html': article.html, '/short.html': SHORT_PAGE });
    fake = await startFakeOpenAI();
    browser = await launch({ grantHosts: ['http://127.0.0.1/*'] });
    await browser.worker.evaluate(async (settings) => {
      await chrome.storage.local.clear();
      await chrome.storage.local.set({ settings });
    }, {
      version: 2,
      endpoint: { preset: 'custom', base_url: fake.url, model: 'fake-model', api_key: 'sk-test-key' },
      answer: { context_budget_tokens: WINDOW },
      onboarded: true,
    });
    page = await browser.context.newPage();
    await page.goto(pageUrl());
    panel = await openPanelTab(browser, pageUrl());
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await fake?.close();
  });

  test('Summarize reads the 1 MB page in parts: map requests within the window, a progress bar, combine and reduce, coverage', async () => {
    fake.requests.length = 0;
    // Notes of about 90 tokens a part: too many to answer from at once, so they are merged first.
    const note = `- ${'The harbour chronicle lists ferries, mills, storms and the people who kept them. '.repeat(5)}`;
    fake.setDefaults({ tokenDelayMs: 1, text: note });
    await panel.getByRole('button', { name: 'Summarize page' }).click();
    const progress = panel.getByRole('status').filter({ hasText: /Reading part \d+ of \d+/ });
    await progress.waitFor();
    const [, total] = (await progress.textContent()).match(/of (\d+)/);
    const parts = Number(total);
    assert.ok(parts > 20, `${parts} parts for a 1 MB page in a 4k window`);
    assert.ok(await panel.locator('progress').count() === 1);
    await shot(panel, 'long-progress');
    await panel.locator('.source-line', { hasText: `Written from notes on all ${parts} parts` }).waitFor({ timeout: 120_000 });
    await lastAnswerSettled();
    assert.equal(await panel.locator('.reading-progress').count(), 0, 'the progress bar is gone');

    const requests = [...fake.requests];
    const maps = requests.filter((r) => /^Part \d+ of \d+ of a long page/.test(firstUserText(r)));
    const combines = requests.filter((r) => firstUserText(r).includes('Merge these notes'));
    const final = requests[requests.length - 1];
    assert.equal(maps.length, parts, 'one map request per part');
    const numbers = maps.map((r) => Number(firstUserText(r).match(/^Part (\d+) of/)[1])).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: parts }, (_, i) => i + 1), 'every part read once');
    assert.ok(combines.length > 0, 'the notes of many parts are merged before the answer');
    assert.match(firstUserText(final), /read in parts/);
    assert.match(firstUserText(final), /Summarize the page above/);
    assert.ok(!firstUserText(final).includes(FACT), 'the answer reads notes, not the page');
    // The planted fact went to the model in exactly one map request.
    assert.equal(maps.filter((r) => firstUserText(r).includes(FACT)).length, 1);
    for (const request of requests) {
      const cost = await requestCost(request.body);
      assert.ok(cost <= WINDOW, `a request of ${cost} tokens (prompt + max_tokens) exceeds the ${WINDOW}-token window`);
    }
    // Bounded concurrency: never more than three requests open at once, and more than one at times.
    const inFlight = requests.map((r) => requests.filter((o) => o.receivedAt <= r.receivedAt && o.finishedAt > r.receivedAt).length);
    assert.ok(Math.max(...inFlight) <= 3, `at most 3 requests at once, saw ${Math.max(...inFlight)}`);
    assert.ok(Math.max(...inFlight) >= 2, 'parts are read concurrently');
    const chip = panel.locator('.chip-meta');
    assert.match(await chip.textContent(), new RegExp(`whole page, read in ${parts} parts`));
    await shot(panel, 'long-summary');
  });

  test('a question about a fact deep in the page retrieves its section, names it, and scrolls the page to it', async () => {
    await newChat();
    fake.requests.length = 0;
    fake.setDefaults({});
    fake.script({ text: 'The code word is CORMORANT-7.' });
    await panel.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.locator('.turn-assistant .answer', { hasText: 'CORMORANT-7' }).waitFor();
    await lastAnswerSettled();
    assert.equal(fake.requests.length, 1, 'a question is one request');
    const sent = firstUserText(fake.requests[0]);
    assert.ok(sent.includes(FACT), 'the planted fact reached the model');
    assert.match(sent, /most relevant to the question/);
    assert.ok(await requestCost(fake.requests[0].body) <= WINDOW);

    const chip = await panel.locator('.chip-meta').textContent();
    assert.match(chip, /\d+% of the page: sections? /);
    assert.match(chip, FACT_HEADING);
    const section = panel.locator('.answer-source .section-link').first();
    assert.match(await section.textContent(), FACT_HEADING, 'the most relevant section comes first');

    await shot(panel, 'long-question');
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    await section.click();
    await waitUntil(() => page.evaluate(() => {
      const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent.includes("The harbour pilot's signals"));
      const top = heading.getBoundingClientRect().top;
      return window.scrollY > document.body.scrollHeight * 0.5 && Math.abs(top) < 5;
    }), 'the page to scroll to the section');
  });

  test('the prompt sent can be viewed, and carries no API key', async () => {
    await panel.getByRole('button', { name: 'Prompt sent' }).click();
    const shown = await panel.locator('.prompt-view pre').textContent();
    await shot(panel, 'long-prompt-sent');
    assert.match(shown, /^── system ──\nYou are Pagewise/);
    assert.ok(shown.includes(FACT));
    assert.ok(shown.includes(QUESTION));
    assert.ok(!shown.includes('sk-test-key'));
    await panel.getByRole('button', { name: 'Hide prompt' }).click();
    assert.equal(await panel.locator('.prompt-view').count(), 0);
  });

  test('a server that reads far fewer prompt tokens than were sent is flagged as a cut prompt', async () => {
    fake.script({ text: 'Partial answer.', usage: { prompt_tokens: 300, completion_tokens: 3 } });
    await panel.getByRole('textbox', { name: 'Message' }).fill('And what else happens in that section?');
    await panel.getByRole('button', { name: 'Send' }).click();
    const warning = panel.locator('.turn-assistant').last().getByRole('alert');
    await warning.waitFor();
    assert.match(await warning.textContent(), /read only 300 of about \d+ prompt tokens: it cut the prompt/);
    assert.match(await warning.textContent(), /num_ctx/);
    await shot(panel, 'long-cut-prompt');
    // A server that read it all is not flagged.
    const sentTokens = Number((await warning.textContent()).match(/about (\d+)/)[1]);
    fake.script({ text: 'Whole answer.', usage: { prompt_tokens: sentTokens - 50, completion_tokens: 3 } });
    await panel.getByRole('textbox', { name: 'Message' }).fill('Thanks. One more?');
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.locator('.turn-assistant .answer', { hasText: 'Whole answer.' }).waitFor();
    await lastAnswerSettled();
    assert.equal(await panel.locator('.turn-assistant').last().locator('.turn-warn').count(), 0);
  });

  test('Stop while the page is read in parts cancels the rest and keeps the chat usable', async () => {
    await newChat();
    fake.requests.length = 0;
    fake.setDefaults({ tokenDelayMs: 60 });
    await panel.getByRole('button', { name: 'Summarize page' }).click();
    await panel.getByRole('status').filter({ hasText: /Reading part \d+ of \d+/ }).waitFor();
    await panel.getByRole('button', { name: 'Stop' }).click();
    await panel.locator('.turn-status.stopped').waitFor();
    assert.equal(await panel.locator('.reading-progress').count(), 0);
    const sentAtStop = fake.requests.length;
    await new Promise((done) => setTimeout(done, 500));
    assert.equal(fake.requests.length, sentAtStop, 'no request starts after Stop');
    assert.ok(sentAtStop <= 6, `${sentAtStop} requests: the reading stopped early, a few at a time`);
    fake.setDefaults({});
  });

  test('a long chat leaves its oldest turns out, and says so above the first one still sent', async () => {
    const short = await browser.context.newPage();
    await short.goto(`${site.origin}/short.html`);
    const chat = await openPanelTab(browser, `${site.origin}/short.html`);
    const longAnswer = (n) => `Answer ${n}. ${'Anemones catch small fish with stinging tentacles. '.repeat(150)}`;
    for (let turn = 1; turn <= 4; turn += 1) {
      fake.script({ text: longAnswer(turn) });
      await chat.getByRole('textbox', { name: 'Message' }).fill(`Question ${turn} about anemones?`);
      await chat.getByRole('button', { name: 'Send' }).click();
      await chat.locator('.turn-assistant .answer', { hasText: `Answer ${turn}.` }).waitFor();
      await waitUntil(async () => (await chat.locator('.turn-assistant[aria-busy="true"]').count()) === 0, 'the answer');
    }
    const divider = chat.getByRole('note');
    await divider.waitFor();
    assert.match(await divider.textContent(), /Earlier messages are no longer sent to the model/);
    await divider.scrollIntoViewIfNeeded();
    await shot(chat, 'long-chat-trimmed');
    const last = fake.lastRequest().body.messages;
    const sentText = last.map(textOf).join('\n');
    assert.ok(!sentText.includes('Question 1 about'), 'the oldest question was left out');
    assert.ok(sentText.includes('Question 4 about'), 'the question asked is sent');
    assert.ok(sentText.includes('Sea anemones are animals related to corals'), 'the page stays in context');
    // The divider sits right above the first message still sent.
    const nextTurn = await divider.evaluate((element) => element.nextElementSibling?.textContent ?? '');
    const firstSentUser = textOf(last.find((m) => m.role === 'user'));
    const question = firstSentUser.match(/Question (\d) about/)[1];
    assert.ok(nextTurn.includes(`Question ${question} about`), `divider above “${nextTurn.slice(0, 40)}”`);
    assert.ok(await requestCost(fake.lastRequest().body) <= WINDOW);
    await chat.close();
    await short.close();
  });

  test('with no window set, the window the model list reports sizes every request', async () => {
    fake.setContextLength(WINDOW);
    const listed = fake.modelListsServed();
    await browser.worker.evaluate(async () => {
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...settings, answer: { ...settings.answer, context_budget_tokens: 0 } } });
    });
    // The panel asks the server for the model's window again when the settings change.
    await waitUntil(() => fake.modelListsServed() > listed, 'the model list to be read');
    await new Promise((done) => setTimeout(done, 300));
    await newChat();
    fake.requests.length = 0;
    fake.script({ text: 'CORMORANT-7.' });
    await panel.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.locator('.turn-assistant .answer', { hasText: 'CORMORANT-7' }).waitFor();
    await lastAnswerSettled();
    const cost = await requestCost(fake.requests[0].body);
    assert.ok(cost <= WINDOW, `${cost} tokens in a ${WINDOW}-token window`);
    assert.ok(cost > WINDOW / 2, `${cost} tokens: the request fills the window it was told of`);
    assert.ok(firstUserText(fake.requests[0]).includes(FACT));
    fake.setContextLength(null);
  });

  test('coverage and sources read in Chinese, in light and dark', async () => {
    await browser.worker.evaluate(async () => {
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...settings, ui_language: 'zh_cn' } });
    });
    await panel.getByRole('button', { name: '总结页面' }).waitFor();
    await panel.getByRole('button', { name: '新对话' }).click();
    fake.script({ text: '暗号是 CORMORANT-7。' });
    await panel.getByRole('textbox', { name: '消息' }).fill(QUESTION);
    await panel.getByRole('button', { name: '发送' }).click();
    await panel.locator('.turn-assistant .answer', { hasText: 'CORMORANT-7' }).waitFor();
    await waitUntil(async () => (await panel.locator('.turn-assistant[aria-busy="true"]').count()) === 0, 'the answer');
    assert.match(await panel.locator('.source-line').textContent(), /^参考的章节（页面的 \d+%）：$/);
    assert.match(await panel.locator('.chip-meta').textContent(), /页面的 \d+%：章节 /);
    await panel.setViewportSize({ width: 420, height: 760 });
    for (const scheme of ['light', 'dark']) {
      await panel.emulateMedia({ colorScheme: scheme });
      await shot(panel, `long-question-zh-${scheme}`);
    }
    await panel.emulateMedia({ colorScheme: 'light' });
  });
});
