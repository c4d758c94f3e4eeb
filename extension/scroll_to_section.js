// Section finder, injected into a tab (scripting.executeScript) when the user clicks a section an
// answer was written from: on the panel's message it scrolls to that heading, or to the passage
// when the section has none, and outlines it for two seconds. It reads the page; it adds nothing to it.
(() => {
  if (globalThis.pagewiseSectionFinder) return;
  globalThis.pagewiseSectionFinder = true;
  // Markdown marks and whitespace differ between the extracted text and the page: compare without them.
  const plain = (text) => String(text ?? '').replace(/[*_`#>|[\]]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

  function find({ heading, snippet }) {
    const wanted = plain(heading);
    if (wanted) {
      const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')];
      const match = headings.find((element) => plain(element.textContent) === wanted)
        ?? headings.find((element) => plain(element.textContent).startsWith(wanted));
      if (match) return match;
    }
    const words = plain(snippet).split(' ').slice(0, 8).join(' ');
    if (!words) return null;
    const blocks = document.querySelectorAll('p, li, td, th, dd, blockquote, pre, figcaption');
    return [...blocks].find((element) => plain(element.textContent).includes(words)) ?? null;
  }

  chrome.runtime.onMessage.addListener((message, _sender, reply) => {
    if (message?.type !== 'pagewise-scroll-to-section') return false;
    const target = find(message);
    if (target) {
      target.scrollIntoView({ block: 'start', behavior: 'smooth' });
      const before = target.style.outline;
      target.style.outline = '3px solid #e8a317';
      setTimeout(() => { target.style.outline = before; }, 2000);
    }
    reply(Boolean(target));
    return false;
  });
})();
