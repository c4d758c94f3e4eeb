//! Pagewise's pure core, a crate of its own: extraction, budgets, prompts, providers, streams, chat, history and settings.
//!
//! Data in, data out: no module here touches the browser, the clock, the
//! network or the file system, so plain `cargo test` covers them natively.
//! The `pagewise` crate re-exports every module under the same name and adds
//! the adapters. It is a separate crate so that it compiles at opt-level 3
//! (generic code such as html5ever's tree builder is compiled where it is
//! instantiated, here) while the UI's leptos views stay small.

pub mod answer_markdown;
pub mod budget;
pub mod calendar;
pub mod chat;
pub mod chunk;
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
