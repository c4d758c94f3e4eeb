//! Pagewise: an AI assistant for the web browser, as a pure Rust core plus thin browser adapters.
//!
//! The core modules ([`settings`], [`menu`], [`chat`], [`extract`]…) are data
//! in, data out: they never touch the browser, the clock or the network, so
//! plain `cargo test` covers them natively. They form the `pagewise-core`
//! crate (`src/core.rs`), compiled at opt-level 3, and are re-exported here
//! under their own names. The wasm32-only modules wrap them:
//! `platform` talks to the browser's extension APIs and `ui` renders the
//! leptos side panel and options page. `web_entry` holds the functions the
//! extension's JavaScript shim calls. See `ARCHITECTURE.md` for the map and
//! its invariants.

pub use pagewise_core::{
    answer_markdown, budget, calendar, chat, chunk, context_fit, custom_actions, extract, history, i18n, map_reduce,
    menu, page, prompt, provider, retrieval, settings, stream,
};

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
mod ui;
#[cfg(target_arch = "wasm32")]
mod web_entry;
