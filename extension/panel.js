// Side panel shim: loads the wasm and hands the page to Rust (src/ui/panel.rs).
import init, { start_panel } from './pagewise.js';

await init();
start_panel();
