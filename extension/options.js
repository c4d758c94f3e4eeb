// Options page shim: loads the wasm and hands the page to Rust (src/ui/options.rs).
import init, { start_options } from './pagewise.js';

await init();
start_options();
