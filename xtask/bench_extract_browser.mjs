// `cargo xtask bench extract` helper: Pagewise's wasm extract_page beside Readability.js + Turndown in headless Chromium, per-page times printed as JSON.
//
// Every PAGEWISE_BENCH_STRIDE-th WCXB dev page (default 10) is served from a
// loopback server exactly as saved, with a Content-Security-Policy that lets
// only our /__bench/ modules run: the page's own scripts stay in the DOM (and
// in outerHTML, as on a real page) but never run, and every request that is
// not to the loopback server is aborted. Each page is loaded once; in it,
// PAGEWISE_BENCH_WARMUP (default 5) untimed runs of each extractor, so that
// both run at their steady state (V8 compiles hot JavaScript and hot wasm
// functions again, optimized, after their first runs; one warm-up left
// both partly in their baseline tiers), then PAGEWISE_BENCH_RUNS (default
// 5) alternating timed runs, each after a full garbage collection so
// neither pays for the other's garbage, median kept:
//   pagewise:    outerHTML + extract_page(...) -> markdown (serialization included)
//   readability: new Readability(document.cloneNode(true)).parse(), then
//                new TurndownService().turndown(article.content)
// Then node loads the same wasm and times extract_page on the same outerHTML.
import { chromium } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(process.env.PAGEWISE_DIST ?? join(ROOT, 'dist/chrome'));
const CHROMIUM = process.env.PAGEWISE_CHROMIUM ?? '/usr/bin/chromium';
const CORPUS = resolve(process.env.PAGEWISE_WCXB ?? join(ROOT, '../shared/corpus/wcxb-dev'));
const STRIDE = Number(process.env.PAGEWISE_BENCH_STRIDE ?? 10);
const RUNS = Number(process.env.PAGEWISE_BENCH_RUNS ?? 5);
const WARMUP = Number(process.env.PAGEWISE_BENCH_WARMUP ?? 5);

const ids = readdirSync(join(CORPUS, 'html'))
  .filter((name) => name.endsWith('.html.gz'))
  .map((name) => name.slice(0, -'.html.gz'.length))
  .sort()
  .filter((_, index) => index % STRIDE === 0);
const originalUrl = (id) => {
  try {
    return JSON.parse(readFileSync(join(CORPUS, 'ground-truth', `${id}.json`), 'utf8')).url ?? '';
  } catch {
    return '';
  }
};

const benchFiles = {
  '/__bench/pagewise.js': ['text/javascript', () => readFileSync(join(DIST, 'pagewise.js'))],
  '/__bench/pagewise_bg.wasm': ['application/wasm', () => readFileSync(join(DIST, 'pagewise_bg.wasm'))],
  // Readability.js is a classic script that assigns `module.exports` when it can; as a module it needs an export.
  '/__bench/readability.mjs': ['text/javascript', () =>
    readFileSync(join(ROOT, 'node_modules/@mozilla/readability/Readability.js'), 'utf8') + '\nexport default Readability;\n'],
  '/__bench/turndown.mjs': ['text/javascript', () => readFileSync(join(ROOT, 'node_modules/turndown/lib/turndown.browser.es.js'))],
};
const cache = new Map();
let origin = '';
const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://x').pathname;
  const page = /^\/page\/([\w-]+)\.html$/.exec(path);
  // Cross-origin isolation gives performance.now() its fine resolution.
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  if (benchFiles[path]) {
    const [type, read] = benchFiles[path];
    if (!cache.has(path)) cache.set(path, read());
    response.writeHead(200, { 'content-type': type, ...isolation });
    response.end(cache.get(path));
  } else if (page && ids.includes(page[1])) {
    // No charset: the browser finds it in the page, as it would online.
    response.writeHead(200, {
      'content-type': 'text/html',
      'content-security-policy': `script-src ${origin}/__bench/ 'wasm-unsafe-eval'`,
      ...isolation,
    });
    response.end(gunzipSync(readFileSync(join(CORPUS, 'html', `${page[1]}.html.gz`))));
  } else {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // window.gc(), called between runs (never inside the timed part).
    '--js-flags=--expose-gc',
  ],
});
const context = await browser.newContext();
// There is no internet here, and the pages must not reach it anyway.
await context.route((url) => url.origin !== origin, (route) => route.abort());

/** Runs in the page: the timed runs of both extractors. */
async function measure({ origin, url, runs, warmup }) {
  const { default: init, extract_page } = await import(`${origin}/__bench/pagewise.js`);
  const { default: Readability } = await import(`${origin}/__bench/readability.mjs`);
  const { default: TurndownService } = await import(`${origin}/__bench/turndown.mjs`);
  await init({ module_or_path: `${origin}/__bench/pagewise_bg.wasm` });
  const pagewise = () => {
    const start = performance.now();
    const html = document.documentElement.outerHTML;
    const serialized = performance.now();
    const snapshot = { url, title: document.title, language: document.documentElement.lang || null, html, selection: null };
    const article = extract_page(snapshot);
    const markdown = article.markdown;
    const end = performance.now();
    return { total: end - start, outerHtml: serialized - start, wasm: end - serialized, words: article.word_count, chars: markdown.length, html };
  };
  const readability = () => {
    const start = performance.now();
    const article = new Readability(document.cloneNode(true)).parse();
    const parsed = performance.now();
    const markdown = new TurndownService().turndown(article?.content ?? '');
    const end = performance.now();
    return { total: end - start, parse: parsed - start, found: article !== null, chars: markdown.length };
  };
  for (let run = 0; run < warmup; run += 1) {
    pagewise();
    readability();
  }
  const settle = () => globalThis.gc?.();
  const samples = { pagewise: [], outerHtml: [], wasm: [], readabilityTurndown: [], readability: [] };
  let last = {};
  for (let run = 0; run < runs; run += 1) {
    settle();
    const ours = pagewise();
    settle();
    const theirs = readability();
    samples.pagewise.push(ours.total);
    samples.outerHtml.push(ours.outerHtml);
    samples.wasm.push(ours.wasm);
    samples.readabilityTurndown.push(theirs.total);
    samples.readability.push(theirs.parse);
    last = { ours, theirs };
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    ...Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)])),
    html: last.ours.html,
    pagewiseWords: last.ours.words,
    pagewiseChars: last.ours.chars,
    readabilityFound: last.theirs.found,
    readabilityChars: last.theirs.chars,
  };
}

const pages = [];
const failures = [];
const outerHtml = new Map();
const page = await context.newPage();
for (const id of ids) {
  try {
    await page.goto(`${origin}/page/${id}.html`, { waitUntil: 'load', timeout: 30_000 }).catch(async () => {
      await page.waitForLoadState('domcontentloaded');
    });
    const { html, ...result } = await page.evaluate(measure, { origin, url: originalUrl(id), runs: RUNS, warmup: WARMUP });
    outerHtml.set(id, html);
    pages.push({ id, bytes: html.length, ...result });
  } catch (error) {
    failures.push({ id, error: String(error.message ?? error).split('\n')[0] });
  }
}
const chromiumVersion = browser.version();
await browser.close();
server.close();

// The same wasm in node, on the same outerHTML: V8 without the browser around it.
const glue = await import(pathToFileURL(join(DIST, 'pagewise.js')).href);
glue.initSync({ module: readFileSync(join(DIST, 'pagewise_bg.wasm')) });
for (const result of pages) {
  const snapshot = { url: originalUrl(result.id), title: '', language: null, html: outerHtml.get(result.id), selection: null };
  glue.extract_page(snapshot);
  const times = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    glue.extract_page(snapshot);
    times.push(performance.now() - start);
  }
  result.node = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

console.log(JSON.stringify({ chromium: chromiumVersion, node: process.version, stride: STRIDE, runs: RUNS, warmup: WARMUP, pages, failures }));
