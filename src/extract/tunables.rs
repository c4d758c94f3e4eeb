//! Every extraction tunable, named, in one place, with why it has its value.

/// Elements whose content is never page text for a reader.
pub const NEVER_TEXT: &[&str] = &[
    "script", "style", "template", "svg", "canvas", "iframe", "object", "embed", "head", "link", "meta", "select",
    "option", "button", "input", "textarea", "dialog",
];

/// Page furniture: navigation, site header and footer, sidebars, forms.
pub const FURNITURE_TAGS: &[&str] = &["nav", "footer", "aside", "form"];

/// ARIA roles that mark furniture.
pub const FURNITURE_ROLES: &[&str] =
    &["navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog"];

/// Fragments of `class` or `id` that mark boilerplate blocks. Matched on
/// whole hyphen/underscore-separated words, so `share` does not match
/// `shareholder`.
pub const BOILERPLATE_WORDS: &[&str] = &[
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "subscribe",
    "share",
    "sharing",
    "social",
    "related",
    "recommended",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "menu",
    "navbar",
    "nav",
    "advert",
    "ad",
    "ads",
    "advertisement",
    "promo",
    "sponsored",
    "popup",
    "modal",
    "banner",
    "footer",
    "masthead",
    "skip",
];

/// A candidate main-content root must hold at least this share of the
/// page's visible text, or it is too small to stand for the page.
pub const MIN_MAIN_SHARE: f64 = 0.25;

/// Characters that render as nothing: a known channel for hiding
/// instructions from the reader while showing them to a model.
pub const INVISIBLE_CHARACTERS: &[char] = &[
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{180E}', '\u{2061}', '\u{2062}',
    '\u{2063}', '\u{2064}',
];

/// Inline styles that hide an element.
pub const HIDING_STYLES: &[&str] = &["display:none", "visibility:hidden", "font-size:0"];

/// `opacity: 0` hides text too, but pages also use it for fade-in wrappers
/// that a script reveals; see [`TRANSPARENT_CONTENT_SHARE`].
pub const TRANSPARENT_STYLE: &str = "opacity:0";

/// A transparent element holding at least this share of the page's text is
/// a fade-in wrapper and kept; anything smaller is dropped as hidden text.
pub const TRANSPARENT_CONTENT_SHARE: f64 = 0.5;

/// Paragraphs shorter than this (non-space characters) are captions,
/// buttons and bylines, and say nothing about where the content is.
pub const PARAGRAPH_MIN_CHARACTERS: usize = 25;

/// The densest block must hold at least this share of the page's visible
/// text to replace the whole body as the content root.
pub const DENSE_BLOCK_SHARE: f64 = 0.4;

/// Deeper elements are flattened into their text. Real pages rarely nest
/// past 60 levels; hostile ones nest thousands deep to exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// A `<noscript>` with at least this much text (non-space characters) is
/// content: single-page apps such as Discourse put the whole crawler view of
/// a thread there. Shorter ones are "enable JavaScript" notes and pixels.
pub const NOSCRIPT_CONTENT_CHARACTERS: usize = 200;
