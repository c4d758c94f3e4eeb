// `cargo xtask bench panel` helper: click-to-request latency over the Readability pages, and streamed-answer render cost; prints JSON.
//
// Click-to-request: one browser, the panel open as a tab (`panel.html?tab=ID`)
// for a loopback page tab; per corpus page the tab is navigated there, the
// panel's "New chat" then "Summarize page" are clicked, and the latency is the
// fake model server's `receivedAt` (node's Date.now() when the request's head
// arrives) minus the panel's Date.now() read just before `button.click()`
// inside the panel. Both read the same system wall clock, and taking the click
// time in the panel keeps the CDP round trip out of the number.
//
// Render: a deterministic 4,000-token Markdown answer, one token per delta,
// through the wasm export `bench_render_stream` in an extension page.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, servePages, openPanelTab, waitUntil } from '../tests/e2e/harness.mjs';
import { startFakeOpenAI, tokens as splitTokens } from '../tests/support/fake_openai.mjs';

const CORPUS = process.env.PAGEWISE_READABILITY_PAGES ?? join(import.meta.dirname, '../../shared/corpus/readability-pages');
const RENDER_RUNS = Number(process.env.PAGEWISE_BENCH_RENDER_RUNS ?? 5);
const RENDER_TOKENS = 4000;

async function clickToRequest(browser) {
  const cases = readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(CORPUS, entry.name, 'source.html')))
    .map((entry) => entry.name)
    .sort()
    .slice(0, Number(process.env.PAGEWISE_BENCH_MAX_PAGES ?? Infinity));
  const pages = { '/start.html': '<!doctype html><title>start</title><p>Start page.</p>' };
  for (const name of cases) pages[`/${name}/`] = readFileSync(join(CORPUS, name, 'source.html'), 'utf8');
  const site = await servePages(pages);
  // Off-loopback resources (a page's blocking <script src>) would stall parsing: refuse them at once.
  await browser.context.route((url) => /^(https?|wss?):$/.test(url.protocol) && url.hostname !== '127.0.0.1', (route) => route.abort());
  const fake = await startFakeOpenAI();
  const results = [];
  const failures = [];
  try {
    await browser.worker.evaluate(async (settings) => {
      await chrome.storage.local.clear();
      await chrome.storage.local.set({ settings });
    }, { version: 2, endpoint: { preset: 'custom', base_url: fake.url, model: 'fake-model', api_key: '' }, onboarded: true });
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/start.html`);
    const panel = await openPanelTab(browser, page.url());
    for (const name of cases) {
      try {
        // External resources cannot load here; the DOM is what the capture reads.
        await page.goto(`${site.origin}/${name}/`, { waitUntil: 'domcontentloaded', timeout: 15000 });
        await panel.evaluate(() => document.querySelector('button[aria-label="New chat"]')?.click());
        await waitUntil(() => panel.evaluate(() => {
          const summarize = document.querySelector('button.summarize');
          return summarize && !summarize.disabled && !document.querySelector('button.stop')
            && !document.querySelector('.turn-assistant, .turn-error');
        }), 'an empty, idle panel', { timeoutMs: 10000, everyMs: 10 });
        const before = fake.requests.length;
        const clickedAt = await panel.evaluate(() => {
          const summarize = document.querySelector('button.summarize');
          const at = Date.now();
          summarize.click();
          return at;
        });
        const request = await waitUntil(async () => {
          if (fake.requests.length > before) return fake.requests[before];
          const error = await panel.evaluate(() => document.querySelector('.turn-error')?.textContent);
          if (error) throw new Error(`the panel showed an error: ${error.trim().slice(0, 160)}`);
          return null;
        }, 'the model request', { timeoutMs: 20000, everyMs: 10 });
        await waitUntil(() => panel.evaluate(() => {
          const summarize = document.querySelector('button.summarize');
          return !document.querySelector('button.stop') && summarize && !summarize.disabled;
        }), 'the answer to finish', { timeoutMs: 20000, everyMs: 10 });
        const promptChars = JSON.stringify(request.body?.messages ?? []).length;
        results.push({ page: name, ms: request.receivedAt - clickedAt, promptChars, htmlChars: pages[`/${name}/`].length });
      } catch (error) {
        failures.push({ page: name, error: String(error.message ?? error).split('\n')[0].slice(0, 200) });
      }
    }
  } finally {
    await site.close();
    await fake.close();
  }
  return { results, failures, pages: cases.length };
}

/** A seeded generator, so every run renders the same answer. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = ('the page explains how tide pools form along rocky shores where anemones crabs and sea stars live between '
  + 'high and low water each species holds a niche the ochre star keeps mussels in check while limpets graze algae from '
  + 'the rock visitors should step only on bare stone and return every animal to where it was found').split(' ');

/** A realistic answer: headings, paragraphs with inline marks, lists, a table, code blocks; cut to exactly `count` tokens. */
export function markdownAnswer(count = RENDER_TOKENS) {
  const next = random(42);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(next() * 12) }, () => pick(WORDS));
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    const mark = next();
    if (mark < 0.2) words[3] = `**${words[3]}**`;
    else if (mark < 0.35) words[4] = `\`${words[4]}\``;
    else if (mark < 0.45) words[2] = `*${words[2]}*`;
    else if (mark < 0.5) words[5] = `[${words[5]}](https://example.com/${words[5]})`;
    return `${words.join(' ')}.`;
  };
  const paragraph = () => Array.from({ length: 2 + Math.floor(next() * 3) }, sentence).join(' ');
  const blocks = [];
  let section = 0;
  const build = () => {
    section += 1;
    blocks.push(`## ${section}. ${sentence().slice(0, -1)}`);
    blocks.push(paragraph());
    const kind = section % 4;
    if (kind === 0) {
      blocks.push(Array.from({ length: 4 }, () => `- ${sentence()}`).join('\n'));
    } else if (kind === 1) {
      blocks.push(Array.from({ length: 3 }, (_, i) => `${i + 1}. ${sentence()}\n   - ${sentence()}`).join('\n'));
    } else if (kind === 2) {
      const rows = Array.from({ length: 4 }, () => `| ${pick(WORDS)} | ${Math.floor(next() * 100)} | ${sentence()} |`);
      blocks.push(['| Name | Count | Note |', '|---|---:|---|', ...rows].join('\n'));
    } else {
      const lang = pick(['rust', 'js', 'python']);
      const lines = Array.from({ length: 6 }, (_, i) => `    let ${pick(WORDS)}_${i} = compute(${i}, "${pick(WORDS)}");`);
      blocks.push(`\`\`\`${lang}\nfn example() {\n${lines.join('\n')}\n}\n\`\`\``);
    }
    if (section % 3 === 0) blocks.push(`### Details\n\n> ${sentence()}\n\n${paragraph()}`);
  };
  while (splitTokens(blocks.join('\n\n')).length < count - 200) build();
  blocks.push(...Array.from({ length: 20 }, paragraph));
  return splitTokens(blocks.join('\n\n')).slice(0, count);
}

async function renderStream(browser) {
  const tokens = markdownAnswer();
  const page = await browser.context.newPage();
  await page.goto(browser.url('panel.html'));
  await page.evaluate(async () => {
    const module = await import('./pagewise.js');
    await module.default();
    window.benchModule = module;
    // Long tasks, if this Chromium reports them (one export call is one task).
    window.longTasks = [];
    try {
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
        .observe({ type: 'longtask' });
    } catch {
      window.longTasks = null;
    }
  });
  const runs = { framed: [], incremental: [], naive: [], once: [] };
  // A warm-up per mode, then the modes interleaved so drift hits all alike.
  for (let run = -1; run < RENDER_RUNS; run += 1) {
    for (const mode of Object.keys(runs)) {
      const result = mode === 'framed' ? await page.evaluate(framedRun, { tokens }) : await page.evaluate(async ({ tokens, mode }) => {
        document.querySelector('#bench-container')?.remove();
        const container = document.createElement('div');
        container.id = 'bench-container';
        document.body.append(container);
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        if (window.longTasks) window.longTasks.length = 0;
        const wallStart = performance.now();
        const report = window.benchModule.bench_render_stream(container, tokens, mode);
        container.getBoundingClientRect();
        report.wall_ms = performance.now() - wallStart;
        // Let the observer deliver the long task entry of the call above.
        await new Promise((done) => setTimeout(done, 50));
        report.long_task_ms = window.longTasks ? Math.max(0, ...window.longTasks) : null;
        report.blocks = container.children.length;
        return report;
      }, { tokens, mode });
      if (run >= 0) runs[mode].push(result);
    }
  }
  await page.close();
  return { tokens: tokens.length, chars: tokens.join('').length, runs };
}

/**
 * The panel's own path: tokens arrive one per task (a MessageChannel
 * message, as fast as the page takes them) into `FramedMarkdown`, which
 * renders once per animation frame. Main-thread time is the pushes (timed
 * here) plus the renders (timed in Rust, inside the frame callbacks).
 */
async function framedRun({ tokens }) {
  document.querySelector('#bench-container')?.remove();
  const container = document.createElement('div');
  container.id = 'bench-container';
  document.body.append(container);
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const render = new window.benchModule.BenchFramedRender(container);
  let pushMs = 0;
  let longestPush = 0;
  const wallStart = performance.now();
  await new Promise((done) => {
    const channel = new MessageChannel();
    let next = 0;
    channel.port1.onmessage = () => {
      const started = performance.now();
      render.push(tokens[next]);
      const spent = performance.now() - started;
      pushMs += spent;
      longestPush = Math.max(longestPush, spent);
      next += 1;
      if (next < tokens.length) channel.port2.postMessage(0);
      else done();
    };
    channel.port2.postMessage(0);
  });
  render.finish();
  container.getBoundingClientRect();
  const [renderMs, longestRender, renders] = render.stats();
  render.free();
  return {
    total_ms: pushMs + renderMs,
    push_ms: pushMs,
    render_ms: renderMs,
    longest_delta_ms: Math.max(longestPush, longestRender),
    deltas: tokens.length,
    renders,
    wall_ms: performance.now() - wallStart,
    blocks: container.children.length,
  };
}

const browser = await launch({ grantHosts: ['http://127.0.0.1/*'] });
try {
  const chromium = browser.context.browser()?.version() ?? '?';
  const render = await renderStream(browser);
  const latency = await clickToRequest(browser);
  console.log(JSON.stringify({ chromium, latency, render }));
} finally {
  await browser.close();
}
