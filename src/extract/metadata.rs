//! Page metadata: title, author, site name, published date, excerpt and language from meta tags, JSON-LD, microdata and the document.
//!
//! Runs on the parsed page before cleanup (cleanup removes `<head>`). Each
//! field takes the first source that states it: JSON-LD (the article
//! object, then the page object), then `<meta>` tags, then microdata, then
//! the document itself (bylines, `<time>`, `<h1>`). Two fields start
//! elsewhere: the title starts from the document's own title, cleaned of
//! the site name, because that is the page's name as the reader sees it in
//! the tab; and the language starts from `<html lang>`, the declaration the
//! browser itself uses.
//!
//! Author: a person named in JSON-LD, `<meta>` (including `twitter:data`
//! labelled "Written by"), microdata, a byline element (`rel=author`,
//! class or id with "byline"/"author"), then an organization named in
//! JSON-LD, then a "By Jane Doe" line in the text. Published date: JSON-LD,
//! `<meta>`, microdata, `<time>` in the article, the first `<time>`, then a
//! date line in the text ("Published on July 18, 2025").
//!
//! Cost: the `<meta>` tags, JSON-LD scripts, microdata, byline and date
//! candidates and the first `<h1>` and `<time>` all come from the page's
//! [`Landmarks`] (one walk shared with the page-type signals and cleanup's
//! first steps); one scan of the body's text (at most
//! `MAX_SCANNED_TEXT_NODES` text nodes) runs only when the byline or the
//! date is still missing, and looks for both.

use super::count_words;
use super::parse::{attribute, holds_unread_text, tag_name, Landmarks};
use super::tunables::{
    AUTHOR_KEYS, BYLINE_ID_MARK_WORDS, BYLINE_MARK_WORDS, EXCERPT_KEYS, LANGUAGE_KEYS, MAX_AUTHOR_CHARS,
    MAX_BYLINE_CHARS, MAX_DATE_CHARS, MAX_DATE_LINE_CHARS, MAX_EXCERPT_CHARS, MAX_JSON_LD_DEPTH,
    MAX_SCANNED_TEXT_NODES, MAX_SITE_NAME_CHARS, MAX_SITE_SUFFIX_WORDS, MAX_TITLE_CHARS, MIN_TITLE_WORDS,
    NAME_PARTICLES, NOT_AUTHORS, NOT_NAMES, PUBLISHED_KEYS, SITE_NAME_KEYS, TITLE_KEYS,
};
use dom_query::{local_name, Document, Element, Matcher, NodeData, NodeId, NodeRef, Selection};
use html5ever::LocalName;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Class and id fragments that mark a byline ([`BYLINE_MARK_WORDS`] but not [`NOT_AUTHORS`]).
static BYLINE_MARKS: Marks = Marks::new(BYLINE_MARK_WORDS, NOT_AUTHORS);
/// Class and id fragments of `BYLINE_MARKS` that an `id` is checked for.
static BYLINE_ID_MARKS: Marks = Marks::new(BYLINE_ID_MARK_WORDS, NOT_AUTHORS);
/// Microdata properties this module reads.
const MICRODATA_PROPERTIES: &[&str] = &["author", "creator", "datePublished", "headline", "description"];

/// Elements that may hold the byline: author links (`a[rel~=author]`),
/// and classes or ids that say so.
pub(super) fn is_byline_candidate(element: &Element) -> bool {
    let contains_mark =
        |name: LocalName, marks: &Marks| attribute(element, name).is_some_and(|value| contains_any(value, marks));
    (element.name.local == local_name!("a")
        && attribute(element, local_name!("rel"))
            .is_some_and(|rel| rel.split_ascii_whitespace().any(|token| token.eq_ignore_ascii_case("author"))))
        || contains_mark(local_name!("class"), &BYLINE_MARKS)
        || contains_mark(local_name!("id"), &BYLINE_ID_MARKS)
}

/// Class and id fragments (non-empty), with the set of their first bytes:
/// a scan for them compares only where such a byte occurs.
struct Marks {
    marks: &'static [&'static str],
    first_bytes: [u64; 4],
    /// Longer words that begin with a mark and do not count as it.
    except: &'static [&'static str],
    /// Searchers for the marks without their first byte, deduplicated
    /// (`yline`, `uthor`), built on first use.
    tails: OnceLock<Vec<memchr::memmem::Finder<'static>>>,
}

impl Marks {
    /// `marks`, except where one begins a longer word of `except`.
    const fn new(marks: &'static [&'static str], except: &'static [&'static str]) -> Self {
        let mut first_bytes = [0; 4];
        let mut at = 0;
        while at < marks.len() {
            let first = marks[at].as_bytes()[0];
            first_bytes[(first >> 6) as usize] |= 1 << (first & 63);
            at += 1;
        }
        Self { marks, first_bytes, except, tails: OnceLock::new() }
    }

    /// Whether `bytes` may hold a mark: every mark holds one of its tails.
    fn may_be_in(&self, bytes: &[u8]) -> bool {
        let tails = self.tails.get_or_init(|| {
            let mut tails: Vec<&[u8]> = self.marks.iter().map(|mark| &mark.as_bytes()[1..]).collect();
            tails.sort_unstable();
            tails.dedup();
            tails.into_iter().map(memchr::memmem::Finder::new).collect()
        });
        tails.iter().any(|tail| tail.find(bytes).is_some())
    }
}

/// Whether `text` contains one of `marks`. Most values hold no mark's tail
/// and are ruled out by a vectorized search; the rest get a byte scan that
/// compares only where a mark's first byte occurs.
fn contains_any(text: &str, marks: &Marks) -> bool {
    let bytes = text.as_bytes();
    if !marks.may_be_in(bytes) {
        return false;
    }
    bytes.iter().enumerate().any(|(at, &byte)| {
        marks.first_bytes[usize::from(byte >> 6)] & (1 << (byte & 63)) != 0
            && marks.marks.iter().any(|mark| bytes[at..].starts_with(mark.as_bytes()))
            && !marks.except.iter().any(|word| bytes[at..].starts_with(word.as_bytes()))
    })
}

/// Elements that may hold the publication date: `time[pubdate]`, a
/// `time[datetime]` inside an `article` or `main` or classed `published` or
/// `entry-date`, and `abbr.published[title]`.
pub(super) fn is_published_time_candidate(node: &NodeRef, element: &Element) -> bool {
    let has = |name: LocalName| attribute(element, name).is_some();
    let has_class = |class: &str| {
        attribute(element, local_name!("class"))
            .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class))
    };
    if element.name.local == local_name!("abbr") {
        return has_class("published") && has(local_name!("title"));
    }
    if element.name.local != local_name!("time") {
        return false;
    }
    has(LocalName::from("pubdate"))
        || (has(local_name!("datetime"))
            && (has_class("published")
                || has_class("entry-date")
                || node
                    .ancestors_it(None)
                    .any(|ancestor| matches!(tag_name(&ancestor), Some(local_name!("article") | local_name!("main"))))))
}

/// Elements carrying one of `MICRODATA_PROPERTIES` in `itemprop`.
pub(super) fn is_microdata_candidate(element: &Element) -> bool {
    attribute(element, local_name!("itemprop"))
        .is_some_and(|properties| properties.split_ascii_whitespace().any(|p| MICRODATA_PROPERTIES.contains(&p)))
}

/// What the page says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Metadata {
    /// The page's title, without the site name around it.
    pub title: String,
    /// Who wrote it: one name, or several joined with commas.
    pub author: Option<String>,
    /// The site's or publisher's name.
    pub site_name: Option<String>,
    /// The declared language, as a BCP 47 tag (`en`, `pt-BR`).
    pub language: Option<String>,
    /// When it was published: ISO 8601 when the page's form could be read,
    /// otherwise as the page states it.
    pub published: Option<String>,
    /// The page's own short description.
    pub excerpt: Option<String>,
}

/// Reads the page's metadata from the parsed, not yet cleaned, document.
/// `snapshot_title` is `document.title` as the browser saw it (may be
/// empty); `url` helps recognize the site's name in the title.
pub(super) fn read_metadata(
    document: &Document,
    landmarks: &Landmarks,
    json_ld: &[Value],
    snapshot_title: &str,
    url: &str,
) -> Metadata {
    let structured = StructuredData::read(json_ld);
    let meta = MetaTags::read(&landmarks.metas);
    let microdata = Microdata::read(&landmarks.microdata);

    let site_name = structured
        .site_name
        .clone()
        .or_else(|| meta.first(SITE_NAME_KEYS).and_then(|name| clean_text(name, MAX_SITE_NAME_CHARS)));
    // An organization named as author (a brand's boilerplate) gives way to
    // a person named anywhere else on the page.
    let person = structured.author.clone().filter(|_| !structured.author_is_organization);
    let author = person
        .or_else(|| meta.author())
        .or_else(|| microdata.author.clone())
        .or_else(|| document_byline(&landmarks.bylines))
        .or_else(|| structured.author.clone());
    let published = [structured.published.as_deref(), meta.first(PUBLISHED_KEYS), microdata.published.as_deref()]
        .into_iter()
        .flatten()
        .find_map(normalize_date)
        .or_else(|| document_published(&landmarks.published_times))
        .or_else(|| landmarks.first_time.as_ref().and_then(time_element_date));
    let (author, published) = written_byline_and_date(document, author, published);
    let excerpt = [structured.description.as_deref(), meta.first(EXCERPT_KEYS), microdata.description.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|text| clean_text(&strip_markup(text), MAX_EXCERPT_CHARS));
    let language = document_language(document)
        .or_else(|| meta.first(LANGUAGE_KEYS).and_then(language_tag))
        .or_else(|| structured.language.as_deref().and_then(language_tag));

    let stated_headlines = structured
        .headlines
        .iter()
        .map(String::as_str)
        .chain(TITLE_KEYS.iter().filter_map(|&key| meta.first(&[key])))
        .chain(microdata.headline.as_deref());
    let clues = TitleClues {
        headlines: stated_headlines.filter_map(|headline| clean_text(headline, MAX_TITLE_CHARS)).collect(),
        first_heading: landmarks
            .first_heading
            .as_ref()
            .and_then(|heading| bounded_text(heading, MAX_TITLE_CHARS))
            .and_then(|text| clean_text(&text, MAX_TITLE_CHARS)),
        site: SiteName::new(site_name.as_deref(), url),
    };
    let title = choose_title(document, snapshot_title, &clues);

    Metadata { title, author, site_name, language, published, excerpt }
}

// ---------------------------------------------------------------------------
// Title

/// What else the page says about its title, to guide the cleaning.
struct TitleClues {
    /// Headlines stated in JSON-LD, `<meta>` and microdata, best first.
    headlines: Vec<String>,
    /// The first `<h1>`: usually the article's heading, on some sites the logo.
    first_heading: Option<String>,
    /// The site's name, to recognize at either end of the title.
    site: SiteName,
}

/// The page title: the document's title cleaned of the site name, or, when
/// the page has none, the first headline it states, or its first `<h1>`.
fn choose_title(document: &Document, snapshot_title: &str, clues: &TitleClues) -> String {
    let document_title = if snapshot_title.trim().is_empty() {
        first_match(document, "head title").map(|title| title.text().to_string()).unwrap_or_default()
    } else {
        snapshot_title.to_string()
    };
    let stated = clues.headlines.first().or(clues.first_heading.as_ref());
    match clean_text(&document_title, MAX_TITLE_CHARS) {
        // A tab title that is only the site's name says nothing about the page.
        Some(title) if clues.site.is_exactly(&title) => match stated {
            Some(headline) if count_words(headline) > count_words(&title) => clean_title(headline, clues),
            _ => title,
        },
        Some(title) => clean_title(&title, clues),
        None => stated.map(|headline| clean_title(headline, clues)).unwrap_or_default(),
    }
}

/// Removes the site name (or section and site) from one end of a title:
/// "How tides work | Ocean Blog" → "How tides work". An end is cut when a
/// headline stated elsewhere in the page (or the first `<h1>`) is the rest,
/// when it is the site's name, or when what remains is still a title of its
/// own (`MIN_TITLE_WORDS`) and the end is the shorter side. (A headline
/// equal to the whole title proves nothing: many sites copy the tab title,
/// site name included, into `og:title`.)
fn clean_title(title: &str, clues: &TitleClues) -> String {
    let site = &clues.site;
    let stated = clues.headlines.iter().filter(|headline| !site.is_exactly(headline));
    if let Some(headline) = stated.clone().find_map(|headline| headline_within(title, headline, true)) {
        return headline;
    }
    // The first `<h1>` may be the site's logo: trust it at the start only.
    let heading = clues.first_heading.as_ref().filter(|heading| !site.is_exactly(heading));
    if let Some(heading) = heading.and_then(|heading| headline_within(title, heading, false)) {
        return heading;
    }
    // The site's name may follow any mark ("Fetching! ✩ Mozilla Hacks").
    let marks = title_separators(title, true);
    if let Some(&(start, end)) = marks.last() {
        if site.matches(&title[end..]) && count_words(&title[..start]) > 0 {
            return strip_channel_suffixes(&strip_byline_suffix(&title[..start]));
        }
    }
    if let Some(&(start, end)) = marks.first() {
        if site.matches(&title[..start]) && count_words(&title[end..]) > 0 {
            return title[end..].trim().to_string();
        }
    }
    let separators = title_separators(title, false);
    let (Some(&(first_start, first_end)), Some(&(last_start, last_end))) = (separators.first(), separators.last())
    else {
        return title.to_string();
    };
    let (body, suffix) = (&title[..last_start], &title[last_end..]);
    let (prefix, rest) = (&title[..first_start], &title[first_end..]);
    let short_enough = |end: &str, other: &str| {
        count_words(end) <= MAX_SITE_SUFFIX_WORDS && end.chars().count() <= other.chars().count()
    };
    if count_words(body) >= MIN_TITLE_WORDS && short_enough(suffix, body) {
        return strip_channel_suffixes(body);
    }
    if count_words(rest) >= MIN_TITLE_WORDS && short_enough(prefix, rest) {
        return rest.trim().to_string();
    }
    title.to_string()
}

/// The headline, when the title is the headline with something set off by
/// a mark after it ("Headline ✩ Site") or, with `at_end_too`, before it
/// ("Blog name: Headline"). A short headline (a section name?) counts only
/// against a shorter remainder.
fn headline_within(title: &str, headline: &str, at_end_too: bool) -> Option<String> {
    if headline.len() >= title.len() {
        return None;
    }
    let split = title.len() - headline.len();
    let substantial =
        |remainder: &str| count_words(headline) >= MIN_TITLE_WORDS || count_words(remainder) <= count_words(headline);
    let starts = title.is_char_boundary(headline.len()) && title[..headline.len()].eq_ignore_ascii_case(headline);
    if starts {
        let mark = title[headline.len()..].trim_start().chars().next();
        let opens_aside = mark.is_some_and(|mark| matches!(mark, '(' | '[' | '{'));
        if mark.is_some_and(is_boundary_mark) && !opens_aside && substantial(&title[headline.len()..]) {
            return Some(title[..headline.len()].to_string());
        }
    }
    let ends = at_end_too && title.is_char_boundary(split) && title[split..].eq_ignore_ascii_case(headline);
    if ends {
        let mark = title[..split].trim_end().chars().next_back();
        if mark.is_some_and(|mark| is_boundary_mark(mark) || mark == ':') && substantial(&title[..split]) {
            return Some(title[split..].to_string());
        }
    }
    None
}

/// Punctuation or a symbol that can set a site or section name off a title
/// (`|`, `-`, `»`, `✩`…), unlike sentence punctuation, quotes and brackets
/// that belong to the title itself.
fn is_boundary_mark(character: char) -> bool {
    !character.is_alphanumeric()
        && !character.is_whitespace()
        && !matches!(
            character,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '…'
                | '&'
                | '\''
                | '"'
                | '‘'
                | '’'
                | '“'
                | '”'
                | ')'
                | ']'
                | '}'
                | '%'
                | '#'
        )
}

/// Blogging platforms put the author before the site: "Title | by Jane Doe
/// | Medium". Once the site is cut, a short "by …" end goes too.
fn strip_byline_suffix(title: &str) -> String {
    if let Some(&(start, end)) = title_separators(title, true).last() {
        let suffix = &title[end..];
        let is_byline = suffix.get(..3).is_some_and(|by| by.eq_ignore_ascii_case("by ")) && count_words(suffix) <= 6;
        if is_byline && count_words(&title[..start]) > 0 {
            return title[..start].trim().to_string();
        }
    }
    title.trim().to_string()
}

/// Chinese portals chain channel names: "标题_科技_腾讯网". Once the site is
/// cut, short `_`-separated channel names at the end go too.
fn strip_channel_suffixes(title: &str) -> String {
    let mut title = title.trim();
    while let Some(&(start, end)) = title_separators(title, false).last() {
        let (body, suffix) = (&title[..start], &title[end..]);
        let is_channel_separator = title[start..end].trim() == "_";
        let channel_sized = count_words(suffix) <= MAX_SITE_SUFFIX_WORDS && suffix.chars().any(is_cjk_context);
        if !(is_channel_separator && channel_sized && count_words(body) >= MIN_TITLE_WORDS) {
            break;
        }
        title = body.trim();
    }
    title.to_string()
}

/// Byte ranges, with their surrounding spaces, where a title separates into
/// parts: ` | `, ` - `, ` – `, ` — `, ` :: `, ` » `, ` / `, ` · `, and, in
/// titles with CJK text, `_`, `｜`, `-` and `|` next to CJK characters even
/// without spaces ("标题_CSDN博客", "标题-新华网"). With `any_mark`, any
/// spaced boundary mark counts too (` ✩ `), for cutting a known site name.
fn title_separators(title: &str, any_mark: bool) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let has_cjk = chars.iter().any(|&(_, character)| crate::budget::is_cjk(character));
    let mut found = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let character = chars[index].1;
        let width = if character == ':' && chars.get(index + 1).is_some_and(|&(_, next)| next == ':') { 2 } else { 1 };
        let before = index.checked_sub(1).map(|previous| chars[previous].1);
        let after = chars.get(index + width).map(|&(_, next)| next);
        let (Some(before), Some(after)) = (before, after) else {
            index += width;
            continue;
        };
        let spaced = before.is_whitespace() && after.is_whitespace();
        let beside_cjk = has_cjk && (is_cjk_context(before) || is_cjk_context(after));
        let is_separator = match character {
            ':' => width == 2 && spaced,
            '|' | '-' | '_' => spaced || beside_cjk,
            '–' | '—' | '»' | '/' | '\\' | '>' | '·' | '•' => spaced,
            '｜' | '－' => true,
            _ => any_mark && spaced && is_boundary_mark(character),
        };
        if !is_separator {
            index += width;
            continue;
        }
        let mut start = index;
        while start > 0 && chars[start - 1].1.is_whitespace() {
            start -= 1;
        }
        let mut end = index + width;
        while end < chars.len() && chars[end].1.is_whitespace() {
            end += 1;
        }
        let byte_end = chars.get(end).map_or(title.len(), |&(byte, _)| byte);
        if start > 0 && byte_end < title.len() {
            found.push((chars[start].0, byte_end));
        }
        index = end;
    }
    found
}

/// CJK characters plus CJK punctuation and full-width forms, which sit
/// next to separators in CJK titles ("严重？_探索者").
fn is_cjk_context(character: char) -> bool {
    crate::budget::is_cjk(character) || matches!(character as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// What the site is called, to recognize it at either end of a title: its
/// stated name and the distinctive labels of its host name.
struct SiteName {
    /// The stated site name, lowercased letters and digits only.
    name: Option<String>,
    /// Host labels, squashed: `theverge` for `www.theverge.com`, `rustlang`
    /// for `doc.rust-lang.org`.
    host_labels: Vec<String>,
}

impl SiteName {
    fn new(site_name: Option<&str>, url: &str) -> Self {
        let name = site_name.map(squash).filter(|name| !name.is_empty());
        let host = url.split_once("://").map_or("", |(_, rest)| rest);
        let host = host.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit('@').next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default().to_lowercase();
        let mut labels: Vec<&str> = host.split('.').collect();
        labels.pop(); // The top-level domain says nothing about the site.
        let generic = ["www", "m", "amp", "com", "co", "org", "net", "gov", "edu", "ac", "blog", "news"];
        let host_labels =
            labels.into_iter().filter(|label| label.len() >= 3 && !generic.contains(label)).map(squash).collect();
        Self { name, host_labels }
    }

    /// Whether a title is nothing but the site's name.
    fn is_exactly(&self, title: &str) -> bool {
        let squashed = squash(title);
        !squashed.is_empty()
            && (self.name.as_deref() == Some(squashed.as_str()) || self.host_labels.contains(&squashed))
    }

    /// Whether a title part names the site: it is (or briefly contains)
    /// the stated site name or a label of the host name.
    fn matches(&self, part: &str) -> bool {
        let squashed = squash(part);
        if squashed.is_empty() || count_words(part) > MAX_SITE_SUFFIX_WORDS {
            return false;
        }
        let close = |known: &str| {
            squashed == known
                || (known.chars().count() >= 3 && squashed.contains(known))
                || (squashed.chars().count() >= 4 && known.contains(&squashed))
        };
        self.name.as_deref().is_some_and(close) || self.host_labels.iter().any(|label| close(label))
    }
}

/// Lowercased letters and digits only: "The Verge" → "theverge".
fn squash(text: &str) -> String {
    text.chars().filter(|character| character.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

// ---------------------------------------------------------------------------
// Meta tags

/// The page's `<meta>` tags with content, keyed by `property`, `name` and
/// `http-equiv` (each space-separated key on its own; lowercased, `.` read
/// as `:`, `dcterm:` as `dcterms:`). Tags keyed by `property` (RDFa: Open
/// Graph, Dublin Core) come before those keyed by `name`, so that they win
/// when a page states a key both ways.
struct MetaTags {
    entries: Vec<(String, String)>,
}

impl MetaTags {
    /// From the page's `<meta>` elements, in document order.
    fn read(metas: &[NodeRef]) -> Self {
        let mut by_property = Vec::new();
        let mut by_name = Vec::new();
        for node in metas {
            let Some(content) = node.attr("content") else { continue };
            if content.trim().is_empty() {
                continue;
            }
            for attribute in ["property", "name", "http-equiv"] {
                let entries = if attribute == "property" { &mut by_property } else { &mut by_name };
                if let Some(keys) = node.attr(attribute) {
                    for key in keys.split_whitespace() {
                        entries.push((meta_key(key), content.to_string()));
                    }
                }
            }
        }
        by_property.append(&mut by_name);
        Self { entries: by_property }
    }

    /// The first tag's content for the first of `keys` the page has.
    fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|key| self.all(key).next())
    }

    /// Every tag's content for `key`, in page order.
    fn all<'a, 'k>(&'a self, key: &'k str) -> impl Iterator<Item = &'a str> + use<'a, 'k> {
        self.entries.iter().filter(move |(entry, _)| entry == key).map(|(_, content)| content.as_str())
    }

    /// The authors under the first author key that holds a name (not a
    /// profile URL). Pages with several authors repeat the tag, one per
    /// author (`citation_author`, `DC.creator`), so all of them are joined.
    fn author(&self) -> Option<String> {
        AUTHOR_KEYS
            .iter()
            .find_map(|&key| {
                join_names(self.all(key).filter_map(|name| clean_author(name, MAX_AUTHOR_CHARS)).collect())
            })
            .or_else(|| self.labelled_author())
    }

    /// The author in a `twitter:labelN` / `twitter:dataN` pair labelled
    /// "Written by" (as WordPress SEO plugins write it).
    fn labelled_author(&self) -> Option<String> {
        (1..=4)
            .find_map(|number| {
                let label = self.first(&[format!("twitter:label{number}").as_str()])?.trim().to_lowercase();
                let names_author = matches!(label.as_str(), "written by" | "author" | "authors" | "by");
                names_author.then(|| self.first(&[format!("twitter:data{number}").as_str()])).flatten()
            })
            .and_then(|name| clean_author(name, MAX_AUTHOR_CHARS))
    }
}

/// `DC.Creator` → `dc:creator`, `dcterm.title` → `dcterms:title`.
fn meta_key(key: &str) -> String {
    let key = key.trim().to_lowercase().replace('.', ":");
    match key.strip_prefix("dcterm:") {
        Some(rest) => format!("dcterms:{rest}"),
        None => key,
    }
}

// ---------------------------------------------------------------------------
// JSON-LD

/// What the page's JSON-LD says about its article (or, failing that, its page).
#[derive(Default)]
struct StructuredData {
    /// `headline`, `name` and `alternativeHeadline`, in that order.
    headlines: Vec<String>,
    author: Option<String>,
    /// Whether `author` names only organizations (`"@type": "Organization"`).
    author_is_organization: bool,
    site_name: Option<String>,
    /// `datePublished` as stated.
    published: Option<String>,
    description: Option<String>,
    language: Option<String>,
}

/// How JSON-LD objects are found by `@id` when another object refers to them.
type ObjectsById<'a> = HashMap<&'a str, &'a Map<String, Value>>;

impl StructuredData {
    fn read(blocks: &[Value]) -> Self {
        let mut objects = Vec::new();
        for block in blocks {
            collect_objects(block, &mut objects, 0);
        }
        let by_id: ObjectsById = objects
            .iter()
            .filter(|object| object.len() > 2)
            .filter_map(|object| Some((object.get("@id")?.as_str()?, *object)))
            .collect();
        let article = objects.iter().find(|object| has_type(object, is_article_type));
        let page = objects.iter().find(|object| has_type(object, is_page_type));
        let website = objects.iter().find(|object| has_type(object, |kind| kind == "WebSite"));

        let mut data = Self::default();
        for object in article.into_iter().chain(page) {
            data.fill_from(object, &by_id);
        }
        if data.site_name.is_none() {
            data.site_name = website.and_then(|site| text_field(site, &["name"], MAX_SITE_NAME_CHARS));
        }
        data
    }

    /// Fills the fields still missing from one JSON-LD object.
    fn fill_from(&mut self, object: &Map<String, Value>, by_id: &ObjectsById) {
        for key in ["headline", "name", "alternativeHeadline"] {
            if let Some(headline) = text_field(object, &[key], MAX_TITLE_CHARS) {
                if !self.headlines.contains(&headline) {
                    self.headlines.push(headline);
                }
            }
        }
        if self.author.is_none() {
            for key in ["author", "creator"] {
                let Some(value) = object.get(key) else { continue };
                let mut names = Vec::new();
                collect_names(value, by_id, &mut names, 0);
                self.author = join_names(names);
                if self.author.is_some() {
                    self.author_is_organization = names_only_organizations(value, by_id);
                    break;
                }
            }
        }
        if self.site_name.is_none() {
            self.site_name = ["publisher", "sourceOrganization", "isPartOf"].iter().find_map(|key| {
                let mut names = Vec::new();
                collect_names(object.get(*key)?, by_id, &mut names, 0);
                names.into_iter().next()
            });
        }
        if self.published.is_none() {
            self.published =
                ["datePublished", "dateCreated", "uploadDate"].iter().find_map(|key| match object.get(*key)? {
                    Value::String(date) => Some(date.clone()),
                    Value::Array(dates) => dates.iter().find_map(Value::as_str).map(String::from),
                    _ => None,
                });
        }
        if self.description.is_none() {
            self.description = object.get("description").and_then(Value::as_str).map(String::from);
        }
        if self.language.is_none() {
            self.language = object.get("inLanguage").and_then(Value::as_str).map(String::from);
        }
    }
}

/// Every typed object in a JSON-LD value: top-level, in arrays, in
/// `@graph`, and a page's `mainEntity` (a `QAPage`'s question).
fn collect_objects<'a>(value: &'a Value, objects: &mut Vec<&'a Map<String, Value>>, depth: usize) {
    if depth > MAX_JSON_LD_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|item| collect_objects(item, objects, depth + 1)),
        Value::Object(fields) => {
            if fields.contains_key("@type") {
                objects.push(fields);
            }
            for key in ["@graph", "mainEntity"] {
                if let Some(inner) = fields.get(key) {
                    collect_objects(inner, objects, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Whether any of the object's `@type`s passes `test` (`schema:` and
/// `https://schema.org/` prefixes ignored).
fn has_type(object: &Map<String, Value>, test: impl Fn(&str) -> bool) -> bool {
    let short = |kind: &str| kind.rsplit(['/', ':']).next().unwrap_or(kind).to_string();
    match object.get("@type") {
        Some(Value::String(kind)) => test(&short(kind)),
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).any(|kind| test(&short(kind))),
        _ => false,
    }
}

/// Types that describe a piece of writing with its own author and date.
fn is_article_type(kind: &str) -> bool {
    kind.ends_with("Article")
        || kind.ends_with("Posting")
        || matches!(kind, "Report" | "Review" | "Recipe" | "HowTo" | "Question" | "Thesis" | "Chapter")
}

/// Types that describe the page as a whole (`WebPage`, `QAPage`, `ItemPage`…).
fn is_page_type(kind: &str) -> bool {
    kind.ends_with("Page")
}

/// A string field of a JSON-LD object, cleaned.
fn text_field(object: &Map<String, Value>, keys: &[&str], max_chars: usize) -> Option<String> {
    keys.iter().find_map(|key| clean_text(object.get(*key)?.as_str()?, max_chars))
}

/// The names in an `author`-like value: a string, an object with `name`
/// (or `givenName` and `familyName`, or an `@id` to look up), or an array
/// of those.
fn collect_names(value: &Value, by_id: &ObjectsById, names: &mut Vec<String>, depth: usize) {
    if depth > 2 || names.len() >= 20 {
        return;
    }
    match value {
        Value::String(name) => names.extend(clean_author(name, MAX_AUTHOR_CHARS)),
        Value::Array(items) => items.iter().for_each(|item| collect_names(item, by_id, names, depth + 1)),
        Value::Object(fields) => {
            let referenced = || fields.get("@id").and_then(Value::as_str).and_then(|id| by_id.get(id)).copied();
            let fields = if fields.contains_key("name") { fields } else { referenced().unwrap_or(fields) };
            let name = match fields.get("name") {
                Some(Value::String(name)) => Some(name.clone()),
                Some(other) => return collect_names(other, by_id, names, depth + 1),
                None => {
                    let part = |key: &str| fields.get(key).and_then(Value::as_str).unwrap_or_default();
                    Some(format!("{} {}", part("givenName"), part("familyName")))
                }
            };
            names.extend(name.and_then(|name| clean_author(&name, MAX_AUTHOR_CHARS)));
        }
        _ => {}
    }
}

/// Whether an `author`-like value names organizations only.
fn names_only_organizations(value: &Value, by_id: &ObjectsById) -> bool {
    let is_organization = |item: &Value| {
        let Value::Object(fields) = item else { return false };
        let referenced = fields.get("@id").and_then(Value::as_str).and_then(|id| by_id.get(id)).copied();
        let organization = |kind: &str| kind.ends_with("Organization");
        has_type(fields, organization) || referenced.is_some_and(|object| has_type(object, organization))
    };
    match value {
        Value::Array(items) => !items.is_empty() && items.iter().all(is_organization),
        item => is_organization(item),
    }
}

/// Several authors as one line: distinct names joined with ", " (or "; "
/// when a name has its own comma, as in "Doe, Jane").
fn join_names(mut names: Vec<String>) -> Option<String> {
    let mut seen = Vec::new();
    names.retain(|name| {
        let fresh = !seen.contains(name);
        seen.push(name.clone());
        fresh
    });
    let separator = if names.iter().any(|name| name.contains(',')) { "; " } else { ", " };
    clean_text(&names.join(separator), MAX_AUTHOR_CHARS)
}

// ---------------------------------------------------------------------------
// Microdata

/// The first value of each microdata property this module reads.
#[derive(Default)]
struct Microdata {
    author: Option<String>,
    published: Option<String>,
    headline: Option<String>,
    description: Option<String>,
}

impl Microdata {
    /// From the elements with one of `MICRODATA_PROPERTIES`, in document order.
    fn read(items: &[NodeRef]) -> Self {
        let mut data = Self::default();
        for &node in items {
            let properties = node.attr("itemprop").unwrap_or_default();
            for property in properties.split_whitespace() {
                match property {
                    "author" | "creator" if data.author.is_none() && !in_comments(&node) => {
                        let name_node = Selection::from(node)
                            .try_select(r#"[itemprop~="name"]"#)
                            .and_then(|names| names.nodes().first().copied());
                        data.author = microdata_value(&name_node.unwrap_or(node), MAX_BYLINE_CHARS)
                            .and_then(|name| clean_author(&name, MAX_BYLINE_CHARS));
                    }
                    "datePublished" if data.published.is_none() => {
                        data.published = microdata_value(&node, MAX_DATE_CHARS);
                    }
                    "headline" if data.headline.is_none() => {
                        data.headline = microdata_value(&node, MAX_TITLE_CHARS);
                    }
                    "description" if data.description.is_none() => {
                        data.description = microdata_value(&node, MAX_EXCERPT_CHARS);
                    }
                    _ => {}
                }
            }
        }
        data
    }
}

/// A microdata property's value: `content` (meta), `datetime` (time), or
/// the element's text when it is short enough.
fn microdata_value(node: &NodeRef, max_chars: usize) -> Option<String> {
    let attribute = node.attr("content").or_else(|| node.attr("datetime"));
    let text = match attribute {
        Some(value) => value.to_string(),
        None if node.is("meta, link") => return None,
        None => bounded_text(node, max_chars)?,
    };
    clean_text(&text, max_chars)
}

// ---------------------------------------------------------------------------
// The document

/// The byline printed in the page: the first of the candidates (author
/// links and byline-marked elements, [`Landmarks::bylines`]) outside the
/// comments whose text is a plausible name.
fn document_byline(candidates: &[NodeRef]) -> Option<String> {
    let names = candidates.iter().filter(|node| !in_comments(node)).filter_map(|node| {
        let name_node = Selection::from(*node)
            .try_select(r#"[itemprop~="name"]"#)
            .and_then(|names| names.nodes().first().copied())
            .unwrap_or(*node);
        let name = clean_author(&bounded_text(&name_node, MAX_BYLINE_CHARS)?, MAX_BYLINE_CHARS)?;
        // Two Latin letters are an avatar's initials ("JD"); two CJK characters can be a name.
        let is_initials = name.len() <= 2;
        (lowercase_words(&name) <= 2 && !is_initials).then_some((*node, name))
    });
    // A byline box holds the name and more ("Jane Doe" + "Staff Writer"):
    // the innermost marked element inside the first valid one is the name.
    let mut chosen: Option<(NodeRef, String)> = None;
    for (node, name) in names {
        match &chosen {
            None => chosen = Some((node, name)),
            Some((outer, _)) if node.ancestors_it(Some(12)).any(|ancestor| ancestor.id == outer.id) => {
                chosen = Some((node, name));
            }
            Some(_) => break,
        }
    }
    chosen.map(|(_, name)| name)
}

/// Words starting with a lowercase letter, particles aside: names have
/// few ("Jane Doe", "van Gogh"); sentences many ("This review is posted in…").
fn lowercase_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| !NAME_PARTICLES.contains(word) && word.chars().next().is_some_and(char::is_lowercase))
        .count()
}

/// The author and the publication date, each found in the page's plain
/// text when nothing marked it up (`None` in): one pass over the body's
/// first `MAX_SCANNED_TEXT_NODES` text nodes serves both.
fn written_byline_and_date(
    document: &Document,
    mut author: Option<String>,
    mut published: Option<String>,
) -> (Option<String>, Option<String>) {
    if author.is_some() && published.is_some() {
        return (author, published);
    }
    let mut byline = WrittenByline::default();
    find_in_body_text(document, |node, text| {
        // Most text nodes between tags are whitespace, which neither reader
        // takes: ASCII whitespace trimmed as bytes first, then the rest.
        let text = text.trim_ascii().trim();
        if text.is_empty() {
            return None;
        }
        if author.is_none() {
            author = byline.read(node, text);
        }
        if published.is_none() {
            published = written_date(text);
        }
        (author.is_some() && published.is_some()).then_some(())
    });
    (author, published)
}

/// A byline in plain text, for pages that mark it up nowhere: "By Jane
/// Doe" or "Written by Jane Doe" in one text node, or "By" and the name in
/// two consecutive ones (`<span>By</span> <a>Jane Doe</a>`), read one text
/// node at a time in document order.
#[derive(Default)]
struct WrittenByline {
    /// The last text was "By" alone: the name may be the next.
    after_prefix: bool,
}

impl WrittenByline {
    fn read(&mut self, node: NodeRef, text: &str) -> Option<String> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let mut name = self.after_prefix.then_some(text);
        self.after_prefix = false;
        if name.is_none() {
            for prefix in ["written by", "posted by", "by:", "by"] {
                if text.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix)) {
                    let rest = &text[prefix.len()..];
                    if rest.trim().is_empty() {
                        self.after_prefix = true;
                    } else if prefix.ends_with(':') || rest.starts_with(char::is_whitespace) {
                        name = Some(rest.trim());
                    }
                    break;
                }
            }
        }
        let name = name.and_then(plausible_name)?;
        let in_furniture = node
            .ancestors_it(Some(20))
            .any(|ancestor| matches!(tag_name(&ancestor), Some(local_name!("nav") | local_name!("footer"))));
        (!in_furniture && !in_comments(&node)).then_some(name)
    }
}

/// A date line in plain text, for pages that mark the date up nowhere: a
/// short text that is a date, optionally after "Published", "Updated" or
/// "Posted on" ("Published on July 18, 2025", "12.12.2025").
fn written_date(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_DATE_LINE_CHARS || !text.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // Any other word means a sentence that mentions a date, not a date line.
    let lowercase = text.to_ascii_lowercase();
    let only_date_words =
        lowercase.split(|c: char| !c.is_ascii_alphabetic()).filter(|word| !word.is_empty()).all(|word| {
            month_number(word).is_some()
                || time_word(word).is_some()
                || matches!(word, "published" | "posted" | "updated" | "last" | "on" | "at" | "st" | "nd" | "rd" | "th")
                || weekday(word)
        });
    only_date_words.then(|| parse_common_date(text)).flatten()
}

/// Whether a word is an English weekday or its abbreviation.
fn weekday(word: &str) -> bool {
    const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    word.len() >= 3 && WEEKDAYS.iter().any(|day| day.starts_with(word))
}

/// The first `find` result over the body's text nodes in document order,
/// outside scripts and styles, reading at most `MAX_SCANNED_TEXT_NODES`
/// (whitespace-only ones are passed over first, without a look at their parent).
fn find_in_body_text<T>(document: &Document, mut find: impl FnMut(NodeRef, &str) -> Option<T>) -> Option<T> {
    let body = document.body()?;
    let in_raw_text = |parent: Option<NodeId>| {
        parent.is_some_and(|parent| {
            document.tree.query_node_or(&parent, false, |tree_node| {
                matches!(&tree_node.data, NodeData::Element(element) if holds_unread_text(&element.name.local))
            })
        })
    };
    let mut scanned = 0;
    for node in body.descendants_it() {
        // The text is read in place: the tree is only read while `find` runs.
        let found = node.query_or(None, |tree_node| match &tree_node.data {
            // Only text with something to read counts (and is read): how
            // much of the whitespace between tags is in the tree depends on the parse.
            NodeData::Text { contents }
                if contents.bytes().any(|byte| !byte.is_ascii_whitespace()) && !in_raw_text(tree_node.parent) =>
            {
                scanned += 1;
                Some(find(node, contents))
            }
            _ => None,
        });
        match found {
            Some(Some(found)) => return Some(found),
            _ if scanned >= MAX_SCANNED_TEXT_NODES => return None,
            _ => {}
        }
    }
    None
}

/// A personal name as bylines print it: two to six words, each
/// capitalized (or a particle such as "de", "van", "and"), with an optional
/// trailing title ("Jane Doe, Ph.D."). Scripts without case are not
/// checked here.
fn plausible_name(text: &str) -> Option<String> {
    let name = clean_author(text, MAX_BYLINE_CHARS)?;
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalized = words
        .iter()
        .all(|word| NAME_PARTICLES.contains(word) || word.chars().next().is_some_and(|first| first.is_uppercase()));
    ((2..=6).contains(&words.len()) && capitalized).then_some(name)
}

/// The publication date printed in the page: the first `<time>` in the
/// article or marked as published ([`Landmarks::published_times`]).
fn document_published(candidates: &[NodeRef]) -> Option<String> {
    candidates.iter().find_map(|node| {
        let stated = match node.attr("datetime").or_else(|| node.attr("title")) {
            Some(value) => value.to_string(),
            None => bounded_text(node, MAX_DATE_CHARS)?,
        };
        normalize_date(&stated)
    })
}

/// The date of the first `<time>` anywhere, when it holds one this can
/// read: the last resort, for pages that mark the date up nowhere else.
fn time_element_date(time: &NodeRef) -> Option<String> {
    let stated = match time.attr("datetime") {
        Some(value) => value.to_string(),
        None => bounded_text(time, MAX_DATE_CHARS)?,
    };
    let stated = clean_text(&stated, MAX_DATE_CHARS)?;
    if starts_with_iso_date(&stated) {
        Some(stated)
    } else {
        parse_common_date(&stated)
    }
}

/// `<html lang>` (or `xml:lang`).
fn document_language(document: &Document) -> Option<String> {
    let html = document.root().first_element_child()?;
    html.attr("lang").or_else(|| html.attr("xml:lang")).and_then(|lang| language_tag(&lang))
}

/// Whether the element sits in a comment thread (its own or an ancestor's
/// class, id or itemprop says "comment"): commenters are not the author.
fn in_comments(node: &NodeRef) -> bool {
    std::iter::once(*node).chain(node.ancestors_it(Some(12))).any(|element| {
        ["class", "id", "itemprop"].iter().any(|attribute| {
            element.attr(attribute).is_some_and(|value| value.to_ascii_lowercase().contains("comment"))
        })
    })
}

/// The element's text (scripts and styles left out), or `None` when it runs
/// past `max_chars`: long text is a container, not a name or a date.
fn bounded_text(node: &NodeRef, max_chars: usize) -> Option<String> {
    let mut text = String::new();
    let mut chars = 0;
    for descendant in node.descendants_it() {
        if !descendant.is_text() {
            continue;
        }
        let in_code =
            descendant.parent().and_then(|parent| tag_name(&parent)).is_some_and(|name| holds_unread_text(&name));
        if !in_code {
            // Text in separate elements reads as separate words ("Jane Doe" "Editor").
            let piece = descendant.text();
            chars += piece.chars().count() + 1;
            if chars > max_chars * 2 {
                return None;
            }
            text.push(' ');
            text.push_str(&piece);
        }
    }
    Some(text)
}

// ---------------------------------------------------------------------------
// Cleaning values

/// Decodes entities left in the value, drops invisible characters,
/// collapses whitespace and caps the length at a word boundary; `None`
/// when nothing is left.
fn clean_text(raw: &str, max_chars: usize) -> Option<String> {
    let decoded = decode_entities(raw);
    let visible: String = decoded.chars().filter(|character| !is_invisible(*character)).collect();
    let text = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= max_chars {
        return Some(text);
    }
    let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > cut.len() * 4 / 5 => &cut[..space],
        _ => cut.as_str(),
    };
    Some(format!("{}…", cut.trim_end()))
}

/// Zero-width and formatting characters that only get in the way of text.
fn is_invisible(character: char) -> bool {
    matches!(character, '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}')
}

/// A name: cleaned, without a "By" in front or stray punctuation around
/// it, and not a URL, a date, or a label such as "Author".
fn clean_author(raw: &str, max_chars: usize) -> Option<String> {
    let text = clean_text(raw, max_chars * 2)?;
    let mut name = text.as_str();
    for prefix in ["written by", "posted by", "by", "author:", "authors:", "作者：", "作者:", "文／", "文/"] {
        if name.len() > prefix.len()
            && name.is_char_boundary(prefix.len())
            && name[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            let rest = &name[prefix.len()..];
            if prefix.ends_with([':', '：', '／', '/']) || rest.starts_with([' ', ':']) {
                name = rest;
                break;
            }
        }
    }
    let stray = |character: char| {
        character.is_whitespace() || matches!(character, ',' | ';' | ':' | '|' | '-' | '–' | '—' | '·' | '•' | '/')
    };
    // "Jane Doe | 3 days ago", "Jane Doe | Staff Writer": the name comes first.
    let name = name.split(" | ").next().unwrap_or_default().trim_matches(stray);
    let lowercase = name.to_lowercase();
    let is_url = ["http://", "https://", "www.", "//"].iter().any(|start| lowercase.starts_with(start));
    let is_label = NOT_NAMES.contains(&lowercase.as_str());
    // Four digits make a year or a count, not a name ("August 28, 2025•5 min read").
    let digits = name.chars().filter(char::is_ascii_digit).count();
    let is_date_like = digits >= 4 || (digits > 0 && lowercase.contains("read"));
    let is_name = name.chars().any(char::is_alphabetic) && name.chars().count() <= max_chars;
    (is_name && !is_url && !is_label && !is_date_like).then(|| name.to_string())
}

/// The text of a value that may carry HTML markup (JSON-LD descriptions
/// sometimes do); values without tags are returned as they are.
fn strip_markup(text: &str) -> Cow<'_, str> {
    let has_tag = text.contains('<') && text.contains('>');
    if has_tag {
        Cow::Owned(super::html_tokens::parse_document(text).root().text().to_string())
    } else {
        Cow::Borrowed(text)
    }
}

/// Decodes the character references still in a value after parsing (pages
/// that escape twice, JSON-LD written with entities): numeric references
/// and the common named ones. Invalid code points read as U+FFFD, as in
/// browsers; anything unrecognized stays as written.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(ampersand) = rest.find('&') {
        decoded.push_str(&rest[..ampersand]);
        let after = &rest[ampersand + 1..];
        let reference =
            after.find(';').filter(|&end| end <= 10).and_then(|end| Some((decode_reference(&after[..end])?, end)));
        match reference {
            Some((character, end)) => {
                decoded.push(character);
                rest = &after[end + 1..];
            }
            None => {
                decoded.push('&');
                rest = after;
            }
        }
    }
    decoded.push_str(rest);
    Cow::Owned(decoded)
}

/// One character reference's character, from what is between `&` and `;`.
fn decode_reference(reference: &str) -> Option<char> {
    if let Some(number) = reference.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) if hex.chars().all(|digit| digit.is_ascii_hexdigit()) => u32::from_str_radix(hex, 16).ok(),
            None if number.chars().all(|digit| digit.is_ascii_digit()) => number.parse::<u32>().ok(),
            _ => None,
        }?;
        return Some(char::from_u32(code).filter(|&character| character != '\0').unwrap_or('\u{FFFD}'));
    }
    Some(match reference {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        _ => return None,
    })
}

/// A BCP 47 language tag from a declaration: the first of a list, `_` read
/// as `-` (`en_US` → `en-US`); `None` when it does not look like a tag.
fn language_tag(raw: &str) -> Option<String> {
    let tag = raw.split([',', ';']).next()?.trim().replace('_', "-");
    let primary = tag.split('-').next().unwrap_or_default();
    let valid = tag.len() <= 35
        && (2..=3).contains(&primary.len())
        && primary.chars().all(|character| character.is_ascii_alphabetic())
        && tag.chars().all(|character| character.is_ascii_alphanumeric() || character == '-');
    valid.then_some(tag)
}

// ---------------------------------------------------------------------------
// Dates

/// A stated publication date: kept as stated when it already starts with an
/// ISO 8601 date, rewritten as ISO 8601 when it is a common form this reads
/// ("March 5, 2019", "Tue, 05 Mar 2019 10:00:00 GMT", "05.03.2019",
/// "2019年3月5日", a Unix timestamp), otherwise kept as stated if it holds
/// a digit.
fn normalize_date(raw: &str) -> Option<String> {
    let text = clean_text(raw, MAX_DATE_CHARS * 2)?;
    if text.chars().count() > MAX_DATE_CHARS || !text.chars().any(|character| character.is_ascii_digit()) {
        return None;
    }
    if starts_with_iso_date(&text) {
        return Some(text);
    }
    Some(parse_common_date(&text).unwrap_or(text))
}

/// `YYYY-MM-DD` at the start.
fn starts_with_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&index| bytes[index].is_ascii_digit())
}

/// One piece of a date as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateToken {
    Number {
        value: u32,
        digits: usize,
    },
    Month(u32),
    Time {
        hour: u32,
        minute: u32,
        second: u32,
    },
    Meridiem {
        afternoon: bool,
    },
    /// A UTC offset in minutes.
    Offset(i32),
}

/// A common non-ISO date as ISO 8601: `2019-03-05`, or
/// `2019-03-05T10:00:00` (with `Z` or `+01:00` when the offset is stated).
/// Dotted and dashed numeric dates read day first (`05.03.2019`), as in
/// Europe; `None` when the form is unknown or ambiguous (`03/05/2019`).
fn parse_common_date(text: &str) -> Option<String> {
    if let Some(iso) = unix_timestamp(text) {
        return Some(iso);
    }
    let tokens = date_tokens(text);
    let numbers: Vec<(u32, usize)> = tokens
        .iter()
        .filter_map(|token| match token {
            DateToken::Number { value, digits } => Some((*value, *digits)),
            _ => None,
        })
        .collect();
    let months: Vec<u32> = tokens
        .iter()
        .filter_map(|token| match token {
            DateToken::Month(month) => Some(*month),
            _ => None,
        })
        .collect();
    let (year, month, day) = match (months.as_slice(), numbers.as_slice()) {
        // "March 5, 2019", "5 March 2019", "Tue, 05 Mar 2019".
        ([month], [(first, first_digits), (second, second_digits)]) => match (first_digits, second_digits) {
            (4, 1..=2) => (*first, *month, *second),
            (1..=2, 4) => (*second, *month, *first),
            _ => return None,
        },
        // "2019/03/05", "2019年3月5日", "05.03.2019".
        ([], [(first, first_digits), (second, _), (third, third_digits)]) => {
            if *first_digits == 4 {
                (*first, *second, *third)
            } else if *third_digits == 4 && *first > 12 {
                (*third, *second, *first)
            } else if *third_digits == 4 && *second > 12 {
                (*third, *first, *second)
            } else if *third_digits == 4 && (text.contains('.') || text.contains('-')) {
                (*third, *second, *first)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    let times: Vec<(u32, u32, u32)> = tokens
        .iter()
        .filter_map(|token| match token {
            DateToken::Time { hour, minute, second } => Some((*hour, *minute, *second)),
            _ => None,
        })
        .collect();
    let Some(&(mut hour, minute, second)) = times.first() else {
        return Some(date);
    };
    match tokens.iter().find_map(|token| match token {
        DateToken::Meridiem { afternoon } => Some(*afternoon),
        _ => None,
    }) {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    if times.len() > 1 || hour > 23 || minute > 59 || second > 60 {
        return Some(date);
    }
    let offset = match tokens.iter().find_map(|token| match token {
        DateToken::Offset(minutes) => Some(*minutes),
        _ => None,
    }) {
        Some(0) => "Z".to_string(),
        Some(minutes) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
        }
        None => String::new(),
    };
    Some(format!("{date}T{hour:02}:{minute:02}:{second:02}{offset}"))
}

/// Splits a date into numbers, month names, times, am/pm and offsets;
/// other words ("Published", weekdays, "at") and punctuation are skipped.
fn date_tokens(text: &str) -> Vec<DateToken> {
    let chars: Vec<char> = text.chars().collect();
    let digits_from = |start: usize| chars[start..].iter().take_while(|character| character.is_ascii_digit()).count();
    let number_at = |start: usize, count: usize| -> u32 {
        chars[start..start + count]
            .iter()
            .fold(0u32, |value, digit| value.saturating_mul(10).saturating_add(digit.to_digit(10).unwrap_or(0)))
    };
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let character = chars[index];
        if character.is_ascii_digit() {
            let count = digits_from(index);
            let value = number_at(index, count);
            index += count;
            let minute_digits = if chars.get(index) == Some(&':') { digits_from(index + 1) } else { 0 };
            if count <= 2 && minute_digits == 2 {
                let minute = number_at(index + 1, 2);
                index += 3;
                let mut second = 0;
                if chars.get(index) == Some(&':') && digits_from(index + 1) == 2 {
                    second = number_at(index + 1, 2);
                    index += 3;
                }
                if chars.get(index) == Some(&'.') {
                    index += 1 + digits_from(index + 1);
                }
                tokens.push(DateToken::Time { hour: value, minute, second });
            } else {
                tokens.push(DateToken::Number { value, digits: count });
            }
        } else if (character == '+' || character == '-')
            && tokens.iter().any(|token| matches!(token, DateToken::Time { .. }))
            && chars.get(index + 1).is_some_and(char::is_ascii_digit)
        {
            let hours_digits = digits_from(index + 1).min(2);
            let hours = number_at(index + 1, hours_digits);
            index += 1 + hours_digits;
            if chars.get(index) == Some(&':') {
                index += 1;
            }
            let minute_digits = digits_from(index).min(2);
            let minutes = number_at(index, minute_digits);
            index += minute_digits;
            let total = i32::try_from(hours * 60 + minutes).unwrap_or(0);
            tokens.push(DateToken::Offset(if character == '-' { -total } else { total }));
        } else if character.is_ascii_alphabetic() {
            let count = chars[index..].iter().take_while(|character| character.is_ascii_alphabetic()).count();
            let word: String = chars[index..index + count].iter().collect::<String>().to_ascii_lowercase();
            index += count;
            if let Some(month) = month_number(&word) {
                tokens.push(DateToken::Month(month));
            } else if let Some(token) = time_word(&word) {
                tokens.push(token);
            }
        } else {
            index += 1;
        }
    }
    tokens
}

/// The month an English month name or abbreviation means.
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word.len() < 3 {
        return None;
    }
    let word = if word == "sept" { "sep" } else { word };
    MONTHS.iter().position(|month| month.starts_with(word)).and_then(|index| u32::try_from(index + 1).ok())
}

/// am/pm and time-zone words: `UTC`, `GMT`, `Z` and common abbreviations.
fn time_word(word: &str) -> Option<DateToken> {
    let hours = match word {
        "am" => return Some(DateToken::Meridiem { afternoon: false }),
        "pm" => return Some(DateToken::Meridiem { afternoon: true }),
        "z" | "utc" | "gmt" => 0,
        "bst" | "cet" => 1,
        "cest" | "eet" => 2,
        "eest" => 3,
        "jst" | "kst" => 9,
        "edt" => -4,
        "est" | "cdt" => -5,
        "cst" | "mdt" => -6,
        "mst" | "pdt" => -7,
        "pst" => -8,
        _ => return None,
    };
    Some(DateToken::Offset(hours * 60))
}

/// A 10-digit (seconds) or 13-digit (milliseconds) Unix timestamp as an
/// ISO 8601 UTC date-time.
fn unix_timestamp(text: &str) -> Option<String> {
    if !text.chars().all(|character| character.is_ascii_digit()) {
        return None;
    }
    let value: i64 = text.parse().ok()?;
    let seconds = match text.len() {
        10 => value,
        13 => value / 1000,
        _ => return None,
    };
    Some(crate::calendar::iso_utc(seconds))
}

/// Days in a month of a (Gregorian) year.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------
// Selecting

/// The first element matching a selector.
fn first_match<'a>(document: &'a Document, selector: &str) -> Option<NodeRef<'a>> {
    let matcher = Matcher::new(selector).ok()?;
    document.select_single_matcher(&matcher).nodes().first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://example.com/2024/tides";

    fn read(html: &str) -> Metadata {
        let document = Document::from(html);
        let landmarks = Landmarks::find(&document);
        read_metadata(&document, &landmarks, &super::super::json_ld::blocks(&landmarks.json_ld), "", URL)
    }

    #[test]
    fn contains_any_finds_a_mark_anywhere_and_only_a_whole_mark() {
        static MARKS: Marks = Marks::new(&["byline", "Author"], &[]);
        for (text, expected) in [
            ("post-byline", true),
            ("AuthorBox", true),
            ("author", false),
            ("bylin", false),
            ("bbyline", true),
            ("", false),
            ("x Autho", false),
            ("AutAuthor", true),
        ] {
            assert_eq!(contains_any(text, &MARKS), expected, "{text}");
            assert_eq!(contains_any(text, &MARKS), MARKS.marks.iter().any(|mark| text.contains(mark)), "{text}");
        }
    }

    #[test]
    fn a_sign_in_box_or_an_authority_is_no_byline() {
        for (id, expected) in [
            ("authorization", false),
            ("Authorize-box", false),
            ("health-authority", false),
            ("authoritative-source", false),
            ("author", true),
            ("authorBox", true),
            ("authors", true),
            ("authorization author-name", true),
        ] {
            assert_eq!(contains_any(id, &BYLINE_ID_MARKS) || contains_any(id, &BYLINE_MARKS), expected, "{id}");
        }
    }

    fn title_at(title: &str, url: &str) -> String {
        let document = Document::from(format!("<title>{title}</title>").as_str());
        read_metadata(&document, &Landmarks::find(&document), &[], "", url).title
    }

    #[test]
    fn meta_tags_fill_every_field() {
        let metadata = read(
            r#"<html lang="en-GB"><head><title>How tides work | Ocean Notes</title>
            <meta property="og:title" content="How tides work">
            <meta property="og:site_name" content="Ocean Notes">
            <meta property="og:description" content="Why the sea rises &amp; falls   twice a day.">
            <meta name="author" content="Jane Doe">
            <meta property="article:published_time" content="2024-05-01T08:00:00+02:00">
            </head><body><p>Text.</p></body></html>"#,
        );
        assert_eq!(
            metadata,
            Metadata {
                title: "How tides work".into(),
                author: Some("Jane Doe".into()),
                site_name: Some("Ocean Notes".into()),
                language: Some("en-GB".into()),
                published: Some("2024-05-01T08:00:00+02:00".into()),
                excerpt: Some("Why the sea rises & falls twice a day.".into()),
            }
        );
    }

    #[test]
    fn json_ld_comes_first_and_is_read_through_graphs_ids_and_arrays() {
        let metadata = read(
            r##"<head><meta name="author" content="Meta Person"><meta name="description" content="Meta text.">
            <meta property="article:published_time" content="2020-01-01">
            <script type="application/ld+json"><![CDATA[ {"@context": "https://schema.org", "@graph": [
              {"@type": "WebPage", "@id": "#page", "name": "Tide tables - Ocean Notes", "datePublished": "2019-01-01"},
              {"@type": ["NewsArticle"], "headline": "Tide tables", "datePublished": "2024-05-01T08:00:00Z",
               "author": [{"@id": "#jane"}, {"@type": "Person", "name": "John Roe"}, "https://example.com/u/x"],
               "publisher": {"@id": "#org"}, "description": "<p>Tables for <b>every</b> port.</p>",
               "inLanguage": "en"},
              {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
              {"@type": "Organization", "@id": "#org", "name": "Ocean Notes Ltd"}]} ]]></script>
            <script type="application/ld+json">not json</script></head>"##,
        );
        assert_eq!(metadata.author.as_deref(), Some("Jane Doe, John Roe"));
        assert_eq!(metadata.site_name.as_deref(), Some("Ocean Notes Ltd"));
        assert_eq!(metadata.published.as_deref(), Some("2024-05-01T08:00:00Z"));
        assert_eq!(metadata.excerpt.as_deref(), Some("Tables for every port."));
        assert_eq!(metadata.title, "Tide tables");
        assert_eq!(metadata.language.as_deref(), Some("en"));
    }

    #[test]
    fn question_pages_and_forum_posts_are_read_from_json_ld() {
        let question = read(
            r#"<script type="application/ld+json">{"@type": "QAPage", "mainEntity": {"@type": "Question",
               "name": "Why do tides lag the moon?", "author": {"@type": "Person", "givenName": "Ada", "familyName": "Byron"},
               "dateCreated": "2023-02-03T04:05:06Z"}}</script>"#,
        );
        assert_eq!(question.title, "Why do tides lag the moon?");
        assert_eq!(question.author.as_deref(), Some("Ada Byron"));
        assert_eq!(question.published.as_deref(), Some("2023-02-03T04:05:06Z"));
        let post = read(
            r#"<script type="application/ld+json">[{"@type": "DiscussionForumPosting", "headline": "Best tide app?",
               "author": "tidewatcher", "datePublished": "2023-03-01"}]</script>"#,
        );
        assert_eq!((post.author.as_deref(), post.published.as_deref()), (Some("tidewatcher"), Some("2023-03-01")));
    }

    #[test]
    fn an_organization_named_as_author_gives_way_to_a_person() {
        let json_ld = r#"<script type="application/ld+json">{"@type": "Article", "headline": "Breathing",
            "author": {"@type": "Organization", "name": "Shore Clinic"}}</script>"#;
        assert_eq!(read(json_ld).author.as_deref(), Some("Shore Clinic"));
        let with_byline = format!(r#"{json_ld}<body><p class="byline">By Holly Wilgus</p></body>"#);
        assert_eq!(read(&with_byline).author.as_deref(), Some("Holly Wilgus"));
    }

    #[test]
    fn meta_keys_are_read_in_priority_order() {
        // RDFa `property` beats `name` for the same key; keys may be space-separated.
        let metadata = read(
            r#"<meta name="author" content="Plain Author">
            <meta name="DC.creator" content="Name Creator"><meta property="dc:creator twitter:x" content="Property Creator">
            <meta property="og:description twitter:description" content="A description">"#,
        );
        assert_eq!(metadata.author.as_deref(), Some("Property Creator, Name Creator"));
        assert_eq!(metadata.excerpt.as_deref(), Some("A description"));
        // A profile URL is no name; the next key is read instead.
        let profile = read(
            r#"<meta property="article:author" content="https://facebook.com/jane">
            <meta name="parsely-author" content="Jane Doe">"#,
        );
        assert_eq!(profile.author.as_deref(), Some("Jane Doe"));
        // Scholarly pages list one author per tag.
        let paper = read(
            r#"<meta name="citation_author" content="Doe, Jane"><meta name="citation_author" content="Roe, John">"#,
        );
        assert_eq!(paper.author.as_deref(), Some("Doe, Jane; Roe, John"));
        let labelled = read(
            r#"<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Jane Doe">
            <meta name="sailthru.date" content="Tue, 05 Mar 2019 10:00:00 GMT">"#,
        );
        assert_eq!(labelled.author.as_deref(), Some("Jane Doe"));
        assert_eq!(labelled.published.as_deref(), Some("2019-03-05T10:00:00Z"));
        let weibo = read(r#"<meta property="weibo:article:create_at" content="2019-03-05 10:00:00">"#);
        assert_eq!(weibo.published.as_deref(), Some("2019-03-05 10:00:00"));
    }

    #[test]
    fn microdata_fills_in_what_meta_tags_leave_out() {
        let metadata = read(
            r#"<body><div itemscope itemtype="https://schema.org/Comment" itemprop="comment">
              <span itemprop="author">A Commenter</span></div>
            <article itemscope itemtype="https://schema.org/Article">
              <h1 itemprop="headline">Tide pools at dawn</h1>
              <span itemprop="author" itemscope><a href="/jane"><span itemprop="name">Jane Doe</span></a></span>
              <time itemprop="datePublished" datetime="2024-05-01">May 1</time>
              <meta itemprop="description" content="Anemones and crabs.">
            </article></body>"#,
        );
        assert_eq!(metadata.title, "Tide pools at dawn");
        assert_eq!(metadata.author.as_deref(), Some("Jane Doe"));
        assert_eq!(metadata.published.as_deref(), Some("2024-05-01"));
        assert_eq!(metadata.excerpt.as_deref(), Some("Anemones and crabs."));
    }

    #[test]
    fn the_document_is_the_last_resort() {
        let author_link = read(
            r#"<div class="comments"><a rel="author">Troll</a></div><article><a rel="author" href="/u">Jane Doe</a></article>"#,
        );
        assert_eq!(author_link.author.as_deref(), Some("Jane Doe"));
        let byline_box = read(
            r#"<div class="post-author"><img class="author-avatar"><div class="author-name">Joakim Edin</div>
            <div class="author-title">Research &amp; Development</div></div>"#,
        );
        assert_eq!(byline_box.author.as_deref(), Some("Joakim Edin"));
        let article_time = read(
            r#"<header><time datetime="2020-01-01">x</time></header><article><time datetime="2024-05-01T08:00">May 1</time></article>"#,
        );
        assert_eq!(article_time.published.as_deref(), Some("2024-05-01T08:00"));
        let written = read(
            r#"<body><nav>Shop by Category</nav><p><span>By</span> <a href="/u">Genevieve Carlton, Ph.D.</a></p>
            <p>Published on July 18, 2025</p></body>"#,
        );
        assert_eq!(written.author.as_deref(), Some("Genevieve Carlton, Ph.D."));
        assert_eq!(written.published.as_deref(), Some("2025-07-18"));
        let sentence = read("<body><p>By the sea, on March 5, 2019 we walked out.</p></body>");
        assert_eq!((sentence.author, sentence.published), (None, None));
    }

    #[test]
    fn the_language_comes_from_html_lang_then_the_http_header_meta() {
        assert_eq!(read(r#"<html lang="pt_BR"><body></body></html>"#).language.as_deref(), Some("pt-BR"));
        let header = read(r#"<meta http-equiv="Content-Language" content="de, en"><body></body>"#);
        assert_eq!(header.language.as_deref(), Some("de"));
        assert_eq!(read(r#"<html lang="not a tag!"><body></body></html>"#).language, None);
        assert_eq!(read(r#"<meta property="og:locale" content="fr_FR">"#).language.as_deref(), Some("fr-FR"));
    }

    #[test]
    fn titles_lose_the_site_name_at_either_end() {
        for (title, url, expected) in [
            ("How tides work | Ocean Notes", URL, "How tides work"),
            ("How tides work at every port – Ocean Notes", URL, "How tides work at every port"),
            ("Ocean Notes » How tides work at every port", URL, "How tides work at every port"),
            ("How tides work :: Ocean Notes", URL, "How tides work"),
            ("Mozilla - Wikipedia", "https://en.wikipedia.org/wiki/Mozilla", "Mozilla"),
            ("The Verge / Apple's headset hands-on", "https://www.theverge.com/x", "Apple's headset hands-on"),
            // Without knowing the site, a short remainder is not trusted.
            ("Tides - Ocean Notes", URL, "Tides - Ocean Notes"),
            ("Home | Acme", URL, "Home | Acme"),
            // Colons, hyphens inside words and unspaced marks belong to the title.
            ("Xbox One X review: a console that keeps up", URL, "Xbox One X review: a console that keeps up"),
            ("Wi-Fi 7 explained", URL, "Wi-Fi 7 explained"),
        ] {
            assert_eq!(title_at(title, url), expected, "{title}");
        }
    }

    #[test]
    fn cjk_titles_lose_the_site_name_after_chinese_separators() {
        for (title, url, expected) in [
            ("标题_CSDN博客", "https://blog.csdn.net/u/article/details/1", "标题"),
            ("如何评价 Rust 2024 版本？ - 知乎", "https://www.zhihu.com/question/1", "如何评价 Rust 2024 版本？"),
            ("潮汐是怎样形成的_科技_腾讯网", "https://new.qq.com/rain/a/1", "潮汐是怎样形成的"),
            ("宇航员在太空中喝酒会怎么样？后果很严重 _探索者 _光明网", URL, "宇航员在太空中喝酒会怎么样？后果很严重"),
            ("小米发布新款手机｜36氪", URL, "小米发布新款手机"),
            ("坚持高质量发展的新路子-新华网", URL, "坚持高质量发展的新路子"),
            ("アプリ「フリーWi-Fiプロテクション」 - Yahoo!ニュース", URL, "アプリ「フリーWi-Fiプロテクション」"),
        ] {
            assert_eq!(title_at(title, url), expected, "{title}");
        }
    }

    #[test]
    fn stated_headlines_and_the_site_name_guide_the_cut() {
        let headline = read(
            r#"<title>Silicon Exposed: Open Verilog flow for GreenPak4</title>
            <meta property="og:title" content="Open Verilog flow for GreenPak4">"#,
        );
        assert_eq!(headline.title, "Open Verilog flow for GreenPak4");
        let odd_mark = read(
            r#"<title>This API is so Fetching! ✩ Mozilla Hacks</title>
            <meta property="og:site_name" content="Mozilla Hacks – the Web developer blog">"#,
        );
        assert_eq!(odd_mark.title, "This API is so Fetching!");
        let platform = read(
            r#"<title>Samantha and the lie | by John C. Welch | Medium</title><meta property="og:site_name" content="Medium">"#,
        );
        assert_eq!(platform.title, "Samantha and the lie");
        let heading = read(
            "<title>Tide pools at dawn - A field guide - Ocean Notes</title><body><h1>Tide pools at dawn</h1></body>",
        );
        assert_eq!(heading.title, "Tide pools at dawn");
        // A logo in the first <h1> is no headline.
        let logo = read(
            r#"<title>Budget Traveler's Guide To Insurance - Budget Travel With Gabby</title>
            <meta property="og:site_name" content="Budget Travel With Gabby"><body><h1>Budget Travel With Gabby</h1></body>"#,
        );
        assert_eq!(logo.title, "Budget Traveler's Guide To Insurance");
    }

    #[test]
    fn a_missing_or_generic_tab_title_falls_back_to_headlines() {
        let no_title = read(
            r#"<meta property="og:title" content="Tide tables for every port | Ocean Notes"><body><h1>Ignored</h1></body>"#,
        );
        assert_eq!(no_title.title, "Tide tables for every port");
        assert_eq!(read("<body><h1>Tide  pools</h1><svg><title>icon</title></svg></body>").title, "Tide pools");
        let site_only = read(
            r#"<title>Medium</title><meta property="og:site_name" content="Medium">
            <meta property="og:title" content="Samantha and the great big lie">"#,
        );
        assert_eq!(site_only.title, "Samantha and the great big lie");
        let document = Document::from("<title>Old</title>");
        let snapshot = read_metadata(&document, &Landmarks::find(&document), &[], " Live title ", URL);
        assert_eq!(snapshot.title, "Live title");
    }

    #[test]
    fn entities_left_in_values_are_decoded_once() {
        let metadata = read(
            r#"<meta property="og:description" content="&amp;#xg; &amp;#x1F62D; &amp;#128557; &amp;#xFFFFFFFF; &amp;#x0; &amp;amp;">"#,
        );
        assert_eq!(metadata.excerpt.as_deref(), Some("&#xg; 😭 😭 \u{FFFD} \u{FFFD} &"));
        assert_eq!(
            decode_entities("Tom &amp; Jerry&hellip; &rsquo;&unknown; & more"),
            "Tom & Jerry… ’&unknown; & more"
        );
        assert!(matches!(decode_entities("no references"), Cow::Borrowed(_)));
    }

    #[test]
    fn authors_are_names_not_urls_labels_or_dates() {
        for (raw, expected) in [
            ("  By   Jane Doe ", Some("Jane Doe")),
            ("Written by Jane Doe | 3 days ago", Some("Jane Doe")),
            ("by: Jane Doe,", Some("Jane Doe")),
            ("作者：张三", Some("张三")),
            ("Byron Smith", Some("Byron Smith")),
            ("https://twitter.com/jane", None),
            ("www.example.com", None),
            ("Author", None),
            ("Written by", None),
            ("August 28, 2025 • 5 min read", None),
            ("— ", None),
        ] {
            assert_eq!(clean_author(raw, MAX_BYLINE_CHARS).as_deref(), expected, "{raw:?}");
        }
        assert_eq!(clean_author(&"Name ".repeat(50), MAX_BYLINE_CHARS), None);
    }

    #[test]
    fn dates_are_kept_when_iso_and_rewritten_when_common() {
        for (raw, expected) in [
            ("2015-07-10T09:53:00-04:00", Some("2015-07-10T09:53:00-04:00")),
            (" 2019-04-28 06:01:07 ", Some("2019-04-28 06:01:07")),
            ("2021-11-01T10:52:50+0100", Some("2021-11-01T10:52:50+0100")),
            ("March 5, 2019", Some("2019-03-05")),
            ("Published on Sept. 5th, 2019 at 6:01 pm", Some("2019-09-05T18:01:00")),
            ("5 March 2019 10:30 EST", Some("2019-03-05T10:30:00-05:00")),
            ("Tue, 05 Mar 2019 10:00:00 +0100", Some("2019-03-05T10:00:00+01:00")),
            ("2019/03/05", Some("2019-03-05")),
            ("2019年3月5日", Some("2019-03-05")),
            ("05.03.2019", Some("2019-03-05")),
            ("25/12/2019", Some("2019-12-25")),
            ("12/25/2019", Some("2019-12-25")),
            ("1700000000", Some("2023-11-14T22:13:20Z")),
            ("1700000000123", Some("2023-11-14T22:13:20Z")),
            // Ambiguous or unreadable forms stay as stated; text without digits is no date.
            ("03/05/2019", Some("03/05/2019")),
            ("Feb 30, 2019", Some("Feb 30, 2019")),
            ("yesterday", None),
            ("", None),
        ] {
            assert_eq!(normalize_date(raw).as_deref(), expected, "{raw:?}");
        }
    }

    #[test]
    fn long_values_are_capped_at_a_word_boundary() {
        let long = "word ".repeat(200);
        let metadata = read(&format!(r#"<title>{long}</title><meta name="description" content="{long}">"#));
        assert!(metadata.title.chars().count() <= MAX_TITLE_CHARS, "{}", metadata.title.len());
        let excerpt = metadata.excerpt.unwrap_or_default();
        assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS && excerpt.ends_with("word…"), "{excerpt}");
    }

    #[test]
    fn hostile_input_never_panics() {
        let deep = "<div class=\"author\">".repeat(3000) + "By Jane Doe" + &"</div>".repeat(3000);
        for html in [
            "",
            "<",
            "\u{0}\u{1}binary",
            "<html><frameset><frame src=x></frameset></html>",
            r#"<script type="application/ld+json">{"@graph":[[[[[[[[[[{"@type":"Article","author":{"@id":"x"}}]]]]]]]]]]}</script>"#,
            r#"<script type="application/ld+json">{"@type":"Article","@id":"a","author":{"@id":"a"},"name":{"name":{"name":1}}}</script>"#,
            r#"<meta name="date" content="99999999999999999999999"><meta name="author" content="&#xFFFFFFFFFF;">"#,
            "<title> | - _ ｜ :: </title><meta name=date content='+99:99 -'>",
            "<title>标题_</title><time>12:99 pm 2019年13月40日</time>",
            deep.as_str(),
        ] {
            let metadata = read(html);
            assert!(metadata.title.len() <= MAX_TITLE_CHARS * 4, "{html:?}");
        }
        // Run on a small stack, as in a wasm page (1 MiB), to prove no step recurses per level.
        let nested = "<span>".repeat(20_000) + "By Jane Doe" + &"</span>".repeat(20_000);
        let result = std::thread::Builder::new().stack_size(1 << 20).spawn(move || read(&nested)).map(|h| h.join());
        assert!(matches!(result, Ok(Ok(_))));
    }
}
