// Page capture, injected into a tab only when the user asks (scripting.executeScript):
// its value is the PageSnapshot of src/page.rs. It reads; it changes nothing on the page.
(() => {
  const selection = String(globalThis.getSelection?.() ?? '').trim();
  return {
    url: location.href,
    title: document.title,
    language: document.documentElement.lang || null,
    // A read of the page's own serialization; nothing is ever written back.
    html: document.documentElement.outerHTML,
    selection: selection || null,
  };
})();
