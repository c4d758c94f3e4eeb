//! The leptos interface (wasm32 only): the side panel and the options page.
//!
//! Components call the core for every decision (validation, transcript
//! updates, strings) and the platform layer for every browser API; they hold
//! only view state.

pub mod actions_editor;
mod answering;
mod context_chip;
mod history_view;
pub mod markdown_dom;
mod menu_actions;
pub mod options;
pub mod panel;
mod reading_in_parts;
pub mod settings_form;
pub mod setup_card;
mod shortcuts_view;
mod transcript;

use crate::i18n::Locale;
use leptos::prelude::*;

/// Keeps `<html lang>` in step with the interface language, so screen
/// readers and fonts pick the right language.
fn sync_document_language(locale: Memo<Locale>) {
    Effect::new(move |_| {
        let lang = locale.get().html_lang();
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang);
        }
    });
}
