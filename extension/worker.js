// Background shim: registers every listener synchronously at top level (a
// listener added after an await misses the event that woke the worker), then
// forwards to Rust (src/web_entry.rs) once the wasm is ready.
import init, { worker_installed, worker_menu_click, worker_started } from './pagewise.js';

const ready = init();
ready.then(() => worker_started()).catch((error) => console.error('Pagewise start:', error));

// The one browser difference in script: Chromium's side panel or Firefox's
// sidebar. Both must be opened synchronously inside the user's gesture, so
// this cannot wait for the wasm. Without a gesture (a test calling
// onMenuClick) the browser refuses; the queued action then waits for the
// panel to open.
function openPanel(tab) {
  const opening = globalThis.browser?.sidebarAction
    ? globalThis.browser.sidebarAction.open()
    : chrome.sidePanel.open({ windowId: tab.windowId });
  return opening.then(() => true, () => false);
}

// Clicks are handled one after another, so two quick clicks both reach the
// panel's queue, in order.
let lastClick = ready;

// The single entry point of a context-menu click; tests call it through
// `self.pagewise.onMenuClick` with the arguments of contextMenus.onClicked.
async function onMenuClick(info, tab) {
  const opened = openPanel(tab);
  const queued = lastClick.then(() => worker_menu_click(info, tab));
  lastClick = queued.catch(() => {});
  const action = await queued;
  return { action, panelOpened: await opened };
}

// `restart` runs the start-up work again, as after the browser stopped the worker.
self.pagewise = { onMenuClick, ready, restart: () => ready.then(() => worker_started()) };

// Menus follow the settings (the user's own actions, the interface language).
// Rebuilds run one after another: two at once would interleave removeAll and create.
let menus = ready;
function rebuildMenus() {
  menus = menus.then(() => worker_installed()).catch((error) => console.error('Pagewise menus:', error));
}
chrome.storage.onChanged.addListener((changes, area) => { if (area === 'local' && changes.settings) rebuildMenus(); });
chrome.runtime.onInstalled.addListener(rebuildMenus);
chrome.contextMenus.onClicked.addListener((info, tab) => {
  onMenuClick(info, tab).catch((error) => console.error('Pagewise menu:', error));
});
// The toolbar button and its keyboard command. Handling the click here
// (rather than Chromium's openPanelOnActionClick) is what grants activeTab,
// so the panel can read the page it opened on.
chrome.action.onClicked.addListener((tab) => { openPanel(tab); });
// Keyboard commands (summarize-page, explain-selection) take the menu items' path;
// the panel reads the selection itself, since a command carries none.
chrome.commands.onCommand.addListener((command, tab) => {
  onMenuClick({ menuItemId: command, pageUrl: tab?.url, fromCommand: true }, tab).catch((error) => console.error('Pagewise command:', error));
});
