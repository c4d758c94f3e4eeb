//! `PageSnapshot`: the only thing that leaves the tab, taken on demand and handed to extraction.

use serde::{Deserialize, Serialize};

/// What the extension reads from a tab, at the moment the user asks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSnapshot {
    /// The page's URL, for resolving relative links and site rules.
    pub url: String,
    /// `document.title`.
    pub title: String,
    /// `<html lang>`, when set.
    pub language: Option<String>,
    /// The serialized document (`document.documentElement.outerHTML`).
    pub html: String,
    /// The selected text, when there is a selection.
    pub selection: Option<String>,
}
