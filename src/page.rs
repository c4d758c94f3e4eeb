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

/// Why the extension cannot read a page, whatever permission it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnreadablePage {
    /// The browser's own pages (settings, new tab, extensions, `about:`).
    BrowserPage,
    /// An extension store, where browsers forbid extensions to run.
    ExtensionStore,
    /// A PDF in the browser's built-in viewer.
    PdfViewer,
    /// A local file, readable only when the user allows file access.
    LocalFile,
}

/// Tells from a tab's URL whether no extension may read it, and why.
/// `None` means the page can be read once access is granted.
pub fn unreadable_page(url: &str) -> Option<UnreadablePage> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split(':').next().unwrap_or_default();
    match scheme {
        "http" | "https" => {}
        "file" if lower.ends_with(".pdf") => return Some(UnreadablePage::PdfViewer),
        "file" => return Some(UnreadablePage::LocalFile),
        _ => return Some(UnreadablePage::BrowserPage),
    }
    let after_scheme = lower.split_once("://").map(|(_, rest)| rest).unwrap_or_default();
    let host = after_scheme.split(['/', '?', '#']).next().unwrap_or_default();
    let path = &after_scheme[host.len()..];
    let store = matches!(host, "chromewebstore.google.com" | "microsoftedge.microsoft.com" | "addons.mozilla.org")
        || (host == "chrome.google.com" && path.starts_with("/webstore"));
    if store {
        return Some(UnreadablePage::ExtensionStore);
    }
    let path_only = path.split(['?', '#']).next().unwrap_or_default();
    if path_only.ends_with(".pdf") {
        return Some(UnreadablePage::PdfViewer);
    }
    None
}

/// The origin permission pattern that grants reading `url` (`https://host/*`).
pub fn origin_pattern(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().filter(|host| !host.is_empty())?;
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    Some(format!("{}://{}/*", scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_pages_stores_and_pdfs_are_unreadable() {
        for (url, expected) in [
            ("chrome://settings", Some(UnreadablePage::BrowserPage)),
            ("edge://newtab/", Some(UnreadablePage::BrowserPage)),
            ("about:blank", Some(UnreadablePage::BrowserPage)),
            ("chrome-extension://abc/panel.html", Some(UnreadablePage::BrowserPage)),
            ("https://chromewebstore.google.com/detail/x", Some(UnreadablePage::ExtensionStore)),
            ("https://chrome.google.com/webstore/category", Some(UnreadablePage::ExtensionStore)),
            ("https://addons.mozilla.org/en-US/firefox/", Some(UnreadablePage::ExtensionStore)),
            ("https://arxiv.org/pdf/2401.00001.pdf?download=1", Some(UnreadablePage::PdfViewer)),
            ("file:///home/me/a.html", Some(UnreadablePage::LocalFile)),
            ("https://chrome.google.com/search", None),
            ("http://127.0.0.1:8000/page.html", None),
        ] {
            assert_eq!(unreadable_page(url), expected, "{url}");
        }
    }

    #[test]
    fn origin_patterns_name_the_host_only() {
        assert_eq!(origin_pattern("https://User@Example.com:8443/a?b#c").as_deref(), Some("https://example.com/*"));
        assert_eq!(origin_pattern("http://127.0.0.1:5000/x").as_deref(), Some("http://127.0.0.1/*"));
        assert_eq!(origin_pattern("chrome://settings"), None);
    }
}
