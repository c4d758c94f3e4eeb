// Test and benchmark data: deterministic long articles (100 KB to several MB of HTML) of varied prose in
// numbered sections, with one planted fact ("The harbour pilot's code word is CORMORANT-7.") at about 80% depth.

/** The planted fact. */
export const FACT = "The harbour pilot's code word is CORMORANT-7.";

/** A seeded generator, so every run reads the same pages. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const split = (text) => text.trim().split(/\s+/);
const DETERMINERS = split('the a this that every each one another some many several most their its our');
const ADJECTIVES = split(`old new early late small large narrow wide quiet busy northern southern eastern western
  local public private common rare heavy light dark bright cold warm wet dry steep gentle long short brief slow rapid
  careful patient stubborn famous forgotten modest grand simple elaborate wooden stone iron painted crowded empty
  seasonal annual ancient modern rural urban coastal inland sudden gradual curious practical formal informal`);
const NOUNS = split(`town village street market square bridge river valley hill field farm orchard mill bakery school
  church chapel library museum council mayor teacher merchant farmer weaver carpenter blacksmith miller fisherman
  sailor captain doctor nurse clerk printer newspaper letter ledger record archive map survey census railway station
  train carriage road canal lock warehouse factory workshop furnace engine boiler chimney roof window garden meadow
  forest path cliff beach dune tide storm winter summer spring autumn harvest festival fair parade choir band song
  dance recipe bread cheese cider wool linen timber coal salt grain cattle sheep horse cart wagon lamp lantern bell
  clock tower wall gate well fountain pump cottage manor estate tenant landlord wage price tax debt loan bank coin
  family child widow neighbour guild union strike election vote debate law court judge fire flood fever epidemic`);
const VERBS = split(`built repaired opened closed crossed followed recorded described measured replaced expanded
  divided joined owned rented sold bought carried moved delivered printed published remembered forgot celebrated
  organised founded funded collapsed survived flooded burned restored painted planted harvested taught visited
  welcomed refused accepted reported counted stored shipped traded managed improved damaged supported opposed`);
const PREPOSITIONS = split('in on near beside behind across along through under over after before during around beyond');
const CONNECTIVES = split('and but while although because so whereas since until though');
const ADVERBS = split('slowly quickly often rarely finally briefly carefully openly quietly gradually suddenly again');
const TOPICS = [
  ['railway', 'station', 'train', 'carriage', 'timetable', 'platform', 'signal', 'ticket'],
  ['school', 'teacher', 'lesson', 'pupil', 'slate', 'classroom', 'register', 'examination'],
  ['market', 'merchant', 'stall', 'price', 'grain', 'cheese', 'weights', 'bargain'],
  ['mill', 'miller', 'wheel', 'grain', 'flour', 'sluice', 'millstone', 'sack'],
  ['church', 'chapel', 'bell', 'choir', 'vicar', 'parish', 'sermon', 'congregation'],
  ['flood', 'river', 'bank', 'levee', 'sandbag', 'rain', 'torrent', 'embankment'],
  ['festival', 'parade', 'band', 'dance', 'costume', 'lantern', 'banner', 'procession'],
  ['factory', 'furnace', 'boiler', 'engine', 'shift', 'foreman', 'whistle', 'overtime'],
  ['farm', 'harvest', 'orchard', 'cattle', 'sheep', 'plough', 'barn', 'hay'],
  ['newspaper', 'printer', 'press', 'editor', 'column', 'ink', 'edition', 'headline'],
  ['council', 'mayor', 'election', 'vote', 'debate', 'ballot', 'minutes', 'budget'],
  ['epidemic', 'fever', 'doctor', 'nurse', 'hospital', 'quarantine', 'remedy', 'ward'],
  ['bakery', 'bread', 'oven', 'dough', 'yeast', 'loaf', 'crust', 'baker'],
  ['library', 'archive', 'ledger', 'catalogue', 'manuscript', 'shelf', 'reader', 'volume'],
  ['bridge', 'arch', 'mason', 'span', 'pier', 'toll', 'girder', 'keystone'],
  ['canal', 'lock', 'barge', 'towpath', 'lockkeeper', 'cargo', 'basin', 'wharf'],
  ['strike', 'union', 'wage', 'picket', 'negotiation', 'guild', 'worker', 'settlement'],
  ['garden', 'meadow', 'hedge', 'rose', 'allotment', 'seed', 'greenhouse', 'trellis'],
  ['clock', 'tower', 'bell', 'pendulum', 'gear', 'clockmaker', 'chime', 'dial'],
  ['cottage', 'tenant', 'landlord', 'rent', 'lease', 'hearth', 'thatch', 'eviction'],
  ['fire', 'brigade', 'pump', 'hose', 'ladder', 'blaze', 'ember', 'watchman'],
  ['coal', 'mine', 'shaft', 'miner', 'seam', 'pit', 'lamp', 'collier'],
];

/**
 * A long article of about `target` bytes of HTML: boilerplate, numbered
 * sections of varied prose (lists and tables now and then), and FACT in a
 * section of its own at about 80% of the page.
 */
export function longArticle(target, seed = 7) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  const capital = (text) => text[0].toUpperCase() + text.slice(1);
  let topic = TOPICS[0];
  const noun = () => (chance(0.35) ? pick(topic) : pick(NOUNS));
  const phrase = () => {
    const rest = `${chance(0.5) ? `${pick(ADJECTIVES)} ` : ''}${noun()}`;
    const determiner = pick(DETERMINERS);
    return `${determiner === 'a' && /^[aeiou]/.test(rest) ? 'an' : determiner} ${rest}`;
  };
  const clause = () => {
    let text = `${phrase()} ${chance(0.2) ? `${pick(ADVERBS)} ` : ''}${pick(VERBS)} ${phrase()}`;
    if (chance(0.6)) text += ` ${pick(PREPOSITIONS)} ${phrase()}`;
    if (chance(0.15)) text += ` in ${1780 + Math.floor(next() * 160)}`;
    return text;
  };
  const sentence = () => {
    let text = clause();
    if (chance(0.45)) text += `, ${pick(CONNECTIVES)} ${clause()}`;
    return `${capital(text)}.`;
  };
  const paragraph = (count = 3 + Math.floor(next() * 4)) => Array.from({ length: count }, sentence).join(' ');
  const title = () => capital(`${pick(ADJECTIVES)} ${pick(topic)} and the ${pick(NOUNS)}`);
  const list = () => `<ul>\n${Array.from({ length: 3 + Math.floor(next() * 4) }, () => `<li>${sentence()}</li>`).join('\n')}\n</ul>`;
  const table = () => {
    const rows = Array.from({ length: 4 + Math.floor(next() * 5) }, () =>
      `<tr><td>${capital(pick(topic))}</td><td>${1780 + Math.floor(next() * 160)}</td><td>${Math.floor(next() * 900) + 10}</td><td>${sentence()}</td></tr>`);
    return `<table>\n<caption>${title()}</caption>\n<thead><tr><th>Item</th><th>Year</th><th>Count</th><th>Note</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
  };
  const links = (count, prefix) =>
    Array.from({ length: count }, (_, i) => `<li><a href="/${prefix}/${i}">${capital(pick(NOUNS))} ${pick(NOUNS)}</a></li>`).join('');
  const head = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A History of Saltmarsh Bay, Street by Street</title>
<meta name="description" content="A long illustrated history of a small coastal town."></head>
<body>
<header class="site-header"><a class="logo" href="/">The Coastal Review</a>
<nav class="main-nav" aria-label="Main"><ul>${links(14, 'topics')}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"><button>Search</button></form></header>
<div class="cookie-banner"><p>We use cookies to remember your reading position.</p><button>Accept</button></div>
<main>
<article>
<h1>A History of Saltmarsh Bay, Street by Street</h1>
<p class="byline">By Ada Whitcombe · 58 min read</p>
<p class="lede">${paragraph(4)}</p>
`;
  const tail = `</article>
<aside class="related"><h2>Related articles</h2><ul>${links(10, 'articles')}</ul></aside>
</main>
<footer class="site-footer"><nav aria-label="Footer"><ul>${links(12, 'about')}</ul></nav>
<p>© 2024 The Coastal Review. All rights reserved.</p></footer>
</body>
</html>
`;
  const parts = [head];
  let length = head.length + tail.length;
  let section = 0;
  let factSection = 0;
  let factAt = 0;
  const add = (html) => {
    parts.push(html);
    length += html.length + 1;
  };
  while (length < target) {
    section += 1;
    topic = pick(TOPICS);
    if (!factSection && length >= target * 0.8) {
      factSection = section;
      factAt = length;
      add(`<section>\n<h2>Section ${section}: The harbour pilot's signals</h2>`);
      add(`<p>${paragraph(3)}</p>`);
      add(`<p>${sentence()} ${FACT} ${sentence()}</p>`);
      add(`<p>${paragraph(3)}</p>\n</section>`);
      continue;
    }
    add(`<section>\n<h2>Section ${section}: ${title()}</h2>`);
    for (let p = 0, count = 2 + Math.floor(next() * 3); p < count; p += 1) add(`<p>${paragraph()}</p>`);
    if (section % 4 === 0) add(list());
    if (section % 7 === 3) add(table());
    for (let sub = 1, count = Math.floor(next() * 3); sub <= count; sub += 1) {
      add(`<h3>${section}.${sub} ${title()}</h3>`);
      for (let p = 0, paragraphs = 1 + Math.floor(next() * 3); p < paragraphs; p += 1) add(`<p>${paragraph()}</p>`);
    }
    add('</section>');
  }
  parts.push(tail);
  const html = parts.join('\n');
  return { html, sections: section, factSection, factDepth: factAt / html.length };
}
