// `cargo xtask bench long` helper: click-to-first-request on generated 100 KiB, 1 MiB and 5 MiB articles, beside Readability.js + Turndown on the same live DOM; prints JSON.
//
// Pages: deterministic long articles (a seeded generator over a fixed
// vocabulary: header, nav and aside boilerplate, an <article> of numbered
// <h2>/<h3> sections of varied prose, a list or a table now and then, a
// footer) with one planted fact ("The harbour pilot's code word is
// CORMORANT-7.") in its own section at about 80% depth.
//
// Panel, opened as a tab (`panel.html?tab=ID`) with a 4,096-token context
// budget so the long-page path runs; per size, one warm-up then
// PAGEWISE_BENCH_RUNS (default 5) runs of each, every run in a new chat:
//   summarize: click "Summarize page";
//   question:  type a question about the planted fact into "Message", click "Send".
// The time is the method of bench_panel_stream.mjs: the fake model server's
// `receivedAt` (node's Date.now() when a request head arrives) minus the
// panel's Date.now() read just before `button.click()`. Several requests may
// follow one click (map requests); the earliest head counts, the rest are
// counted and searched for the planted fact.
//
// Then, on the same tab and DOM, alternating timed runs after a full garbage
// collection (CDP), as bench_extract_browser.mjs does:
//   pagewise:    outerHTML + wasm extract_page(...) -> markdown, in the page
//   readability: new Readability(document.cloneNode(true)).parse(), then
//                new TurndownService().turndown(article.content)
// and, in the panel, the two steps of its own path: the capture
// (scripting.executeScript of capture.js, the page's outerHTML carried over)
// and extract_page on that snapshot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, DIST, launch, servePages, openPanelTab, tabIdOf, waitUntil } from '../tests/e2e/harness.mjs';
import { startFakeOpenAI } from '../tests/support/fake_openai.mjs';
import { FACT, longArticle } from '../tests/support/long_article.mjs';

const RUNS = Number(process.env.PAGEWISE_BENCH_RUNS ?? 5);
const SIZES = (process.env.PAGEWISE_BENCH_LONG_SIZES ?? `${100 * 1024},${1024 * 1024},${5 * 1024 * 1024}`)
  .split(',')
  .map(Number);
const BUDGET_TOKENS = 4096;
const FACT_NEEDLE = 'CORMORANT-7';
const QUESTION = "What is the harbour pilot's code word?";
const TIMEOUT_MS = 120_000;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Waits until the panel is idle in an empty chat. */
async function newChat(panel) {
  await panel.evaluate(() => document.querySelector('button[aria-label="New chat"]')?.click());
  await waitUntil(() => panel.evaluate(() => {
    const summarize = document.querySelector('button.summarize');
    return summarize && !summarize.disabled && !document.querySelector('button.stop')
      && !document.querySelector('.turn-user, .turn-assistant, .turn-error');
  }), 'an empty, idle panel', { timeoutMs: TIMEOUT_MS, everyMs: 10 });
}

/** Clicks `selector` in the panel (its Date.now() just before), and waits for the request(s) and the answer. */
async function clickAndMeasure(panel, fake, selector) {
  const before = fake.requests.length;
  const clickedAt = await panel.evaluate((selector) => {
    const button = document.querySelector(selector);
    const at = Date.now();
    button.click();
    return at;
  }, selector);
  await waitUntil(async () => {
    if (fake.requests.length > before) return true;
    const error = await panel.evaluate(() => document.querySelector('.turn-error')?.textContent);
    if (error) throw new Error(`the panel showed an error: ${error.trim().slice(0, 160)}`);
    return false;
  }, 'the model request', { timeoutMs: TIMEOUT_MS, everyMs: 10 });
  await waitUntil(() => panel.evaluate(() => {
    const summarize = document.querySelector('button.summarize');
    return !document.querySelector('button.stop') && summarize && !summarize.disabled;
  }), 'the answer to finish', { timeoutMs: TIMEOUT_MS, everyMs: 10 });
  // Requests of one click (map, then reduce) may still be on their way in.
  await sleep(150);
  const requests = fake.requests.slice(before);
  const bodies = requests.map((request) => JSON.stringify(request.body ?? ''));
  return {
    ms: Math.min(...requests.map((request) => request.receivedAt)) - clickedAt,
    requests: requests.length,
    firstPromptChars: bodies[0]?.length ?? 0,
    promptChars: bodies.reduce((sum, body) => sum + body.length, 0),
    factSent: bodies.some((body) => body.includes(FACT_NEEDLE)),
  };
}

async function summarizeRun(panel, fake) {
  await newChat(panel);
  return clickAndMeasure(panel, fake, 'button.summarize');
}

async function questionRun(panel, fake) {
  await newChat(panel);
  await panel.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
  await waitUntil(() => panel.evaluate(() => {
    const send = document.querySelector('button.send');
    return send && !send.disabled;
  }), 'the Send button', { timeoutMs: TIMEOUT_MS, everyMs: 10 });
  return clickAndMeasure(panel, fake, 'button.send');
}

/** Runs in the page: one timed run of Pagewise (outerHTML + extract_page) or of the peer. */
async function extractInPage({ origin, which }) {
  if (!window.benchLong) {
    const pagewise = await import(`${origin}/__bench/pagewise.js`);
    const { default: Readability } = await import(`${origin}/__bench/readability.mjs`);
    const { default: TurndownService } = await import(`${origin}/__bench/turndown.mjs`);
    await pagewise.default({ module_or_path: `${origin}/__bench/pagewise_bg.wasm` });
    window.benchLong = { extract_page: pagewise.extract_page, Readability, TurndownService };
  }
  const { extract_page, Readability, TurndownService } = window.benchLong;
  if (which === 'pagewise') {
    const start = performance.now();
    const html = document.documentElement.outerHTML;
    const serialized = performance.now();
    const snapshot = { url: location.href, title: document.title, language: document.documentElement.lang || null, html, selection: null };
    const article = extract_page(snapshot);
    const markdown = article.markdown;
    const end = performance.now();
    return { total: end - start, outerHtml: serialized - start, wasm: end - serialized, bytes: html.length, chars: markdown.length, hasFact: markdown.includes('CORMORANT-7') };
  }
  const start = performance.now();
  const article = new Readability(document.cloneNode(true)).parse();
  const parsed = performance.now();
  const markdown = new TurndownService().turndown(article?.content ?? '');
  const end = performance.now();
  return { total: end - start, parse: parsed - start, chars: markdown.length, hasFact: markdown.includes('CORMORANT-7') };
}

/** Runs in the panel: its own capture (executeScript of capture.js) and extract_page on that snapshot. */
async function panelPath({ tabId }) {
  const { extract_page } = await import('./pagewise.js');
  const start = performance.now();
  const [{ result }] = await chrome.scripting.executeScript({ target: { tabId }, files: ['capture.js'] });
  const captured = performance.now();
  const article = extract_page(result);
  const markdown = article.markdown;
  const end = performance.now();
  return { capture: captured - start, extract: end - captured, chars: markdown.length };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const pages = { '/start.html': '<!doctype html><title>start</title><p>Start page.</p>' };
const generated = SIZES.map((target) => ({ target, ...longArticle(target) }));
for (const page of generated) pages[`/long-${page.target}.html`] = page.html;
pages['/__bench/pagewise.js'] = { type: 'text/javascript', body: readFileSync(join(DIST, 'pagewise.js')) };
pages['/__bench/pagewise_bg.wasm'] = { type: 'application/wasm', body: readFileSync(join(DIST, 'pagewise_bg.wasm')) };
// Readability.js is a classic script that assigns `module.exports` when it can; as a module it needs an export.
pages['/__bench/readability.mjs'] = {
  type: 'text/javascript',
  body: readFileSync(join(ROOT, 'node_modules/@mozilla/readability/Readability.js'), 'utf8') + '\nexport default Readability;\n',
};
pages['/__bench/turndown.mjs'] = { type: 'text/javascript', body: readFileSync(join(ROOT, 'node_modules/turndown/lib/turndown.browser.es.js')) };

const site = await servePages(pages);
const fake = await startFakeOpenAI();
const browser = await launch({ grantHosts: ['http://127.0.0.1/*'] });
const sizes = [];
try {
  await browser.worker.evaluate(async (settings) => {
    await chrome.storage.local.clear();
    await chrome.storage.local.set({ settings });
  }, {
    version: 2,
    endpoint: { preset: 'custom', base_url: fake.url, model: 'fake-model', api_key: '' },
    answer: { context_budget_tokens: BUDGET_TOKENS },
    onboarded: true,
  });
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/start.html`);
  const tabId = await tabIdOf(browser.worker, page.url());
  const panel = await openPanelTab(browser, page.url());
  const pageCdp = await browser.context.newCDPSession(page);
  const panelCdp = await browser.context.newCDPSession(panel);
  const settle = async () => {
    await pageCdp.send('HeapProfiler.collectGarbage');
    await panelCdp.send('HeapProfiler.collectGarbage');
  };

  for (const { target, html, sections, factSection, factDepth } of generated) {
    const result = { target, htmlBytes: html.length, sections, factSection, factDepth, summarize: [], question: [], failures: [] };
    sizes.push(result);
    process.stderr.write(`  ${(html.length / 1024).toFixed(0)} KiB page (${sections} sections)...\n`);
    try {
      await page.goto(`${site.origin}/long-${target}.html`, { waitUntil: 'load', timeout: TIMEOUT_MS });
      // One warm-up of each, then the timed runs, alternating.
      for (let run = -1; run < RUNS; run += 1) {
        await settle();
        const summarize = await summarizeRun(panel, fake);
        await settle();
        const question = await questionRun(panel, fake);
        if (run >= 0) {
          result.summarize.push(summarize);
          result.question.push(question);
        }
      }
      const samples = { pagewise: [], outerHtml: [], wasm: [], peer: [], peerParse: [], capture: [], panelExtract: [] };
      for (let run = -1; run < RUNS; run += 1) {
        await settle();
        const ours = await page.evaluate(extractInPage, { origin: site.origin, which: 'pagewise' });
        await settle();
        const theirs = await page.evaluate(extractInPage, { origin: site.origin, which: 'readability' });
        await settle();
        const inPanel = await panel.evaluate(panelPath, { tabId });
        if (run < 0) continue;
        samples.pagewise.push(ours.total);
        samples.outerHtml.push(ours.outerHtml);
        samples.wasm.push(ours.wasm);
        samples.peer.push(theirs.total);
        samples.peerParse.push(theirs.parse);
        samples.capture.push(inPanel.capture);
        samples.panelExtract.push(inPanel.extract);
        Object.assign(result, {
          bytes: ours.bytes,
          pagewiseChars: ours.chars,
          pagewiseHasFact: ours.hasFact,
          peerChars: theirs.chars,
          peerHasFact: theirs.hasFact,
        });
      }
      result.extract = samples;
      result.medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
    } catch (error) {
      result.failures.push(String(error.message ?? error).split('\n')[0].slice(0, 300));
    }
  }
  const chromium = browser.context.browser()?.version() ?? '?';
  console.log(JSON.stringify({ chromium, runs: RUNS, budgetTokens: BUDGET_TOKENS, question: QUESTION, fact: FACT, sizes }));
} finally {
  await browser.close();
  await site.close();
  await fake.close();
}
