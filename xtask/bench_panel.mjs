// `cargo xtask bench size` helper: the panel's time to interactive over cold opens, printed as JSON.
import { launch } from '../tests/e2e/harness.mjs';

const runs = Number(process.env.PAGEWISE_BENCH_RUNS ?? 10);
const samples = [];
for (let run = 0; run < runs; run += 1) {
  // A fresh browser and profile per open: nothing compiled or cached survives.
  const browser = await launch();
  const panel = await browser.context.newPage();
  await panel.goto(browser.url('panel.html'), { waitUntil: 'commit' });
  // Navigation start is time zero of the page's own clock.
  const handle = await panel.waitForFunction(() => {
    const composer = document.querySelector('textarea[aria-label="Message"]');
    return composer && !composer.disabled ? performance.now() : false;
  }, null, { polling: 5 });
  samples.push(await handle.jsonValue());
  await browser.close();
}
console.log(JSON.stringify({ samples }));
