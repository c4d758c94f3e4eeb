//! Pagewise: an AI assistant for the web browser, as a pure Rust core plus thin browser adapters.
//!
//! The core modules ([`settings`], [`menu`], [`chat`], [`i18n`]) are data in,
//! data out: they never touch the browser, the clock or the network, so plain
//! `cargo test` covers them natively. The wasm32-only modules wrap them:
//! `platform` talks to the browser's extension APIs and `ui` renders the
//! leptos side panel and options page. `web_entry` holds the functions the
//! extension's JavaScript shim calls. See `ARCHITECTURE.md` for the map and
//! its invariants.

pub mod answer_markdown;
pub mod budget;
pub mod calendar;
pub mod chat;
pub mod chunk;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod context_fit;
pub mod custom_actions;
pub mod extract;
pub mod history;
pub mod i18n;
pub mod map_reduce;
pub mod menu;
pub mod page;
pub mod prompt;
pub mod provider;
pub mod retrieval;
pub mod settings;
pub mod stream;

#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
mod ui;
#[cfg(target_arch = "wasm32")]
mod web_entry;
