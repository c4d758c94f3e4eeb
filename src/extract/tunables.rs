//! Every extraction tunable, named, in one place, with why it has its value.

/// Elements whose content is never page text for a reader.
pub const NEVER_TEXT: &[&str] = &[
    "script", "style", "template", "svg", "canvas", "iframe", "object", "embed", "head", "link", "meta", "select",
    "option", "button", "input", "textarea", "dialog", "noframes", "video", "audio",
];

/// Page furniture: navigation, site header and footer, sidebars, forms.
pub const FURNITURE_TAGS: &[&str] = &["nav", "footer", "aside", "form"];

/// Elements a reader fills in or presses: a `form` holding none of them
/// (nor an `input` other than a hidden one) is a wrapper, not furniture.
pub const FORM_CONTROLS: &[&str] = &["textarea", "select", "button"];

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
    // What a publication asks of its readers around a story: the paywall's
    // "unlock this article", donation appeals, sign-up and opt-in forms,
    // subscription and membership offers.
    "paywall",
    "donate",
    "donation",
    "signup",
    "optin",
    "newsletters",
    "subscription",
    "membership",
    "popup",
    "modal",
    "banner",
    "footer",
    "masthead",
    "skip",
];

/// Fragments of `class` or `id` that mark a cookie-consent manager (its
/// banner, its preferences dialog, its vendor list). Such a block is never
/// content, however much of the page's text it holds: a consent manager's
/// purpose and vendor descriptions can outweigh a short thread or listing.
pub const CONSENT_WORDS: &[&str] = &["cookie", "cookies", "consent", "gdpr", "onetrust", "cookiebot", "usercentrics"];

/// On a page that lists items, a block marked as boilerplate only by a
/// class word (`section-more-ads`, `content-sidebar-wrap`) that holds at
/// least this many linked headings holds the items' cards and stays: an ad
/// slot or a sidebar has a title or two, not a run of headlines.
pub const ITEM_WRAPPER_MIN_HEADLINES: usize = 3;

/// Blocks sharing one `class` value marked with a boilerplate word, at least
/// this many, that together hold most of the content root's text are the
/// content's sections (each the target of an in-page menu: `skip-item`,
/// `content-nav-section`), kept; one such block alone is judged by its own
/// share, as any other.
pub const CONTENT_SECTIONS_MIN: usize = 2;

/// Class words that name a list of other pages: such a block stays
/// boilerplate however many headlines it holds.
pub const OTHER_PAGES_WORDS: &[&str] = &["related", "recommended"];

/// A candidate main-content root must hold at least this share of the
/// page's visible text, or it is too small to stand for the page.
pub const MIN_MAIN_SHARE: f64 = 0.25;

/// Characters that render as nothing: a known channel for hiding
/// instructions from the reader while showing them to a model.
pub const INVISIBLE_CHARACTERS: &[char] = &[
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{180E}', '\u{2061}', '\u{2062}',
    '\u{2063}', '\u{2064}',
];

/// Text this small (CSS pixels or any unit's number) is not for reading:
/// `font-size: 1px` is an injection channel, not typography.
pub const TINY_FONT_PIXELS: f64 = 2.0;

/// An element positioned or indented this far left or up (CSS pixels) is
/// off the screen on purpose.
pub const OFF_SCREEN_PIXELS: f64 = -999.0;

/// A transparent (`opacity: 0`) or `visibility: hidden` element holding at
/// least this share of the page's text is a fade-in wrapper or a hydration
/// guard and kept; anything smaller is dropped as hidden text.
pub const TRANSPARENT_CONTENT_SHARE: f64 = 0.5;

/// A site's footer (`footer`, `role=contentinfo`, outside the article and
/// `main`) is furniture even when it holds most of the content root's text
/// (a shop's pages of footnotes and card terms under a short product
/// page), as long as the rest of the root holds at least this many
/// characters (whitespace excluded), a paragraph or two: else the footer
/// may be all the page has. Measured: 100 to 400 remove the same footers
/// on WCXB; the larger value is the safer.
pub const SITE_FOOTER_MIN_REST_CHARACTERS: usize = 400;

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

/// Elements whose content the parser (scripts off) reads as raw text up to
/// their own end tag: left open inside a `<noscript>` (`<iframe … />`, a
/// common tag-manager snippet), they swallow the rest of the page.
pub const RAW_TEXT_ELEMENTS: &[&str] = &["iframe", "noembed", "noframes", "xmp", "style", "script"];

/// A page put back after a `<noscript>` that swallowed it may hold another
/// such `<noscript>`; at most this many are repaired (each costs a walk).
pub const NOSCRIPT_REPAIR_ROUNDS: usize = 8;

/// A block whose text is at least this share link text, with short links
/// (see [`MENU_MAX_WORDS_PER_LINK`]), is a menu, tag cloud or category list.
pub const MENU_LINK_DENSITY: f64 = 0.7;

/// Menu entries are a word or three; headlines in a list of stories are longer.
pub const MENU_MAX_WORDS_PER_LINK: f64 = 3.0;

/// A menu links each entry once; an item card links its title, picture and
/// price to the same page. A block of short links whose distinct targets are
/// at most this share of its links is a card, not a menu (listings only).
pub const CARD_DISTINCT_TARGET_SHARE: f64 = 0.75;

/// On article-like pages, a block at least this share link text is a list of
/// other pages ("related", "more stories"), whatever the length of its links.
pub const RELATED_LINK_DENSITY: f64 = 0.6;

/// Fragments of `class` or `id` that mark a comment section: content on a
/// forum, boilerplate under an article.
pub const COMMENT_WORDS: &[&str] = &["comment", "comments", "commentlist", "respond", "disqus", "replies"];

/// Fragments of `class` or `id` that mark what a forum adds around each
/// post: signatures, the author's rank and counters (posts, likes, joined),
/// the reaction and action bars (Like, Reply, Report), and the "Click to
/// expand" link of a folded quote, the avatar (a picture or the name's
/// initial) and the "Top" link. The author's name and the post stay.
pub const FORUM_POST_EXTRAS: &[&str] = &[
    "signature",
    "signaturecontainer",
    "userextras",
    "extrauserinfo",
    "usertitle",
    "userbanner",
    "actionbar",
    "reactionsbar",
    "expandlink",
    "avatar",
    "back2top",
];

/// Link targets that lead to a member's profile: an element holding one
/// names a post's author, and is never removed as a post's extras.
pub const PROFILE_PATHS: &[&str] =
    &["/users/", "/user/", "/members/", "/member/", "/u/", "/profile/", "mode=viewprofile"];

/// A forum quotation is matched to the post it quotes by the first this-many
/// characters of its longest run of text…
pub const QUOTE_PROBE_CHARACTERS: usize = 80;

/// …and only when that run is at least this long: "+1" or "Thanks!" repeat
/// on a forum without quoting anyone.
pub const QUOTE_PROBE_MIN_CHARACTERS: usize = 30;

/// Link targets of a sign-in or sign-up page.
pub const SIGN_IN_PATHS: &[&str] = &[
    "/login",
    "/log-in",
    "/signin",
    "/sign-in",
    "/sign_in",
    "/register",
    "/signup",
    "/sign-up",
    "action=login",
    "action=register",
    "mode=login",
    "mode=register",
];

/// Words of a link that asks a guest to sign in or sign up (lower case).
pub const SIGN_IN_WORDS: &[&str] =
    &["log in", "login", "sign in", "signin", "register", "sign up", "signup", "create an account", "join"];

/// A forum's guest prompt ("Create an account or sign in to comment",
/// its buttons and their blurbs) holds at most this many characters
/// (whitespace excluded); a larger wrapper holds posts.
pub const SIGN_IN_PROMPT_MAX_CHARACTERS: usize = 250;

/// Labels of the member statistics a forum prints beside each post, lower
/// case: "Posts: 710", "Joined 2002", "25,064 posts".
pub const MEMBER_STAT_LABELS: &[&str] = &[
    "posts",
    "messages",
    "joined",
    "registered",
    "member since",
    "reaction score",
    "likes received",
    "trophy points",
    "points",
    "reputation",
    "karma",
    "likes",
];

/// A member statistic is short: only elements with at most this many
/// characters (whitespace excluded) are read as one.
pub const MEMBER_STAT_MAX_CHARACTERS: usize = 40;

/// Headings that introduce page furniture rather than content, matched at
/// the start of the heading's lower-cased text.
pub const BOILERPLATE_HEADINGS: &[&str] = &[
    "related",
    "you may also like",
    "you might also like",
    "you may be interested",
    "recommended",
    "more from",
    "more stories",
    "more articles",
    "more posts",
    "read more",
    "read next",
    "popular",
    "trending",
    "most read",
    "latest posts",
    "recent posts",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add a comment",
    "comments",
    "share this",
    "share on",
    "follow us",
    "subscribe",
    "sign up for",
    "newsletter",
    "about the author",
    "about the reviewer",
    "article reviewed by",
    "sources",
    "article sources",
    "disclaimer",
    "like this",
    "helpful links",
    "contact us",
    "get in touch",
    "let's talk",
    "thanks for reading",
    "book a demo",
    "request a demo",
    "trackbacks",
    "article tags",
    "customers also",
    "people who viewed",
    "people who bought",
    "people also",
    "explore related",
    "explore more",
    "more to explore",
    "you may also",
    "you might also",
    "customer reviews",
    "ratings & reviews",
    "ratings and reviews",
    "bought together",
    "shop similar",
    "seller feedback",
    "customers who bought",
    "frequently bought",
    "similar items",
    "similar products",
    "recently viewed",
    "complete the look",
    "shop the look",
    "compare with similar",
    "sponsored",
    "pairs well with",
    "who is online",
    "not the answer you",
    "browse other questions",
    "hot network questions",
    "tags",
    "categories",
    "相关文章",
    "相关推荐",
    "推荐阅读",
    "热门文章",
    "最新文章",
    "评论",
    "发表评论",
    "猜你喜欢",
];

/// A boilerplate heading is short; a longer one that merely starts with
/// "Related" is a real section title.
pub const BOILERPLATE_HEADING_MAX_WORDS: usize = 6;

/// Fragments of `class` or `id` that mark legal fine print: a shop's
/// footnoted disclaimers ("Images simulated", "Results may vary"), an
/// article's "not financial advice". Boilerplate on every page but a
/// service page, where the disclaimers are the offer's terms (fees, who
/// underwrites the cover) and part of what the page says.
pub const FINE_PRINT_WORDS: &[&str] = &["disclaimer", "disclaimers"];

/// Fragments of `class` or `id` that mark what a product page adds around
/// the product: reviews, recommendations and carousels of other products.
pub const PRODUCT_EXTRAS: &[&str] =
    &["review", "reviews", "recommendations", "upsell", "crosssell", "swatch", "swatches"];

/// Fragments of `class` or `id` that mark a carousel on a product page: a
/// strip of other products when its slides are links, the product's own
/// feature highlights when they are text (see [`PRODUCT_CAROUSEL_LINK_DENSITY`]).
pub const PRODUCT_CAROUSELS: &[&str] = &["carousel", "slider", "swiper"];

/// A product page's carousel at least this share link text is a strip of
/// other products (each slide a link to one) and goes; one with less is the
/// product's own story told in slides, and stays…
pub const PRODUCT_CAROUSEL_LINK_DENSITY: f64 = 0.3;

/// …unless it holds product cards. A block with at least this many links
/// and as many prices holds cards of other products (whose link may be the
/// picture, not the name), carousel or grid; the product's own block shows
/// one price, or two with a sale.
pub const PRODUCT_CARDS_MIN: usize = 3;

/// Currency signs that mark a price.
pub const CURRENCY_SIGNS: &[char] = &['$', '€', '£', '¥', '₹', '₩'];

/// A shop's structured product facts (JSON-LD name, price, brand,
/// description) lead the article only when the visible content has fewer
/// words than this: on a fuller page they repeat it in other words.
pub const PRODUCT_FACTS_MAX_CONTENT_WORDS: usize = 150;

/// When lists of links hold more than this share of an "article", it is a
/// listing (a section front, an index): its links are the content.
pub const LISTING_LINK_SHARE: f64 = 0.5;

/// Fragments of `class` or `id` that mark the controls around a listing's
/// items: filters and facets, sort bars and pagination. The items are the
/// content; the controls that narrow or page through them are not.
pub const LISTING_CONTROLS: &[&str] = &[
    "filter",
    "filters",
    "facet",
    "facets",
    "refinement",
    "refinements",
    "sort",
    "sorting",
    "sortby",
    "pagination",
    "pager",
];

/// An image whose alt text ends with one of these words is decoration, or
/// says nothing ("Acme logo", "User uploaded product image").
pub const DECORATION_ALT_WORDS: &[&str] =
    &["logo", "icon", "avatar", "badge", "spinner", "image", "thumbnail", "placeholder", "swatch"];

/// Alt text without spaces holding at least this many hyphens or
/// underscores is a file name or slug ("staple-tee-front"), not a
/// description; one hyphen is a word ("T-shirt", "X-ray").
pub const SLUG_MIN_SEPARATORS: usize = 2;

/// Alt text without spaces ending with one of these is a file name.
pub const IMAGE_EXTENSIONS: &[&str] =
    &[".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff"];

/// Blocks at least this long (characters) that repeat word for word are
/// duplicates; shorter ones ("Reply", "Read more") may repeat legitimately.
pub const REPEATED_BLOCK_MIN_CHARACTERS: usize = 40;

/// A container (`div`, `section`, `article`) whose text, spaces aside, is at
/// least this long and equal to an earlier block's text is a copy (a layout
/// per screen size, a widget or article rendered twice); shorter ones (a
/// forum's "+1" reply, a table cell) may repeat legitimately.
pub const REPEATED_CONTAINER_MIN_CHARACTERS: usize = 60;

/// A repeated container holding more than this share of the content root's
/// text is never dropped: it is the content, whatever repeats it.
pub const REPEATED_CONTAINER_MAX_SHARE: f64 = 0.5;

/// A run of at least this many consecutive sibling elements with the same
/// short text is a marquee or ticker scrolling one label ("Book Now ✱"):
/// said once. Three in a row still happen in real lists.
pub const SIBLING_RUN_MIN_LENGTH: usize = 4;

/// Only texts this short (characters, whitespace folded) are compared for
/// such runs: labels, not paragraphs.
pub const SIBLING_RUN_MAX_CHARACTERS: usize = 80;

/// The selection is found by its first this-many letters and digits: enough
/// to be unique on a page, short enough to survive a cut-off selection.
pub const SELECTION_PROBE_CHARACTERS: usize = 80;

/// The section given with a selection is cut to this many bytes around it.
pub const SELECTION_SECTION_MAX_BYTES: usize = 6_000;

/// Utility classes that hide an element in every common CSS framework
/// (Bootstrap, Tailwind, WordPress, Foundation). Stylesheets are not read,
/// so these names stand for them; screen-reader-only text is hidden too,
/// since a sighted reader never sees it.
pub const HIDING_CLASSES: &[&str] = &[
    "d-none",
    "hidden",
    "is-hidden",
    "hide",
    "invisible",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "screen-reader-only",
    "u-srOnly",
];

/// Display values that show a hidden-by-class element again at a
/// breakpoint (`md:block`, `d-lg-flex`, `lg:inline-block`).
pub const SHOWING_DISPLAYS: &[&str] = &["block", "flex", "grid", "inline", "table", "contents", "flow-root"];

/// An excerpt taken from the content is its first paragraph of at least
/// this many words (shorter ones are captions and bylines)…
pub const EXCERPT_MIN_WORDS: usize = 12;

/// …cut to about this many characters.
pub const EXCERPT_MAX_CHARACTERS: usize = 300;

/// Whole-element texts that are interface, not content (lower case, without
/// trailing dots, ellipses and arrows).
pub const INTERFACE_LABELS: &[&str] = &[
    "loading",
    "learn more",
    "read more",
    "see more",
    "show more",
    "view more",
    "view all",
    "see all",
    "shop now",
    "buy now",
    "add to cart",
    "add to bag",
    "add to wishlist",
    // A shop's item card: the quick-look overlay and the compare checkbox.
    "quick view",
    "quick shop",
    "quick add",
    "compare",
    "add to compare",
    "comparer",
    "ne plus comparer",
    // Calls to action and card links on offers, threads and reviews.
    "more options",
    "more like this",
    "discover more",
    "start free trial",
    "start your free trial",
    "get started for free",
    "watch demo",
    "watch the demo",
    "read case study",
    "read the case study",
    "read the review",
    "read full review",
    "view deal",
    "go to topic listing",
    "skip to content",
    "skip to main content",
    "back to top",
    "加载中",
    "查看更多",
    "阅读全文",
    "展开全文",
    "返回顶部",
];

/// Units of a relative time standing alone as a card's or a post's
/// metadata ("3 days ago", "5 min read", "an hour ago"), singular or plural.
/// Such a label dates or sizes an item for the reader's glance and goes stale
/// at once; whole-text matches only, never inside a sentence.
pub const RELATIVE_TIME_UNITS: &[&str] =
    &["second", "sec", "minute", "min", "hour", "hr", "day", "week", "month", "year"];

/// Words that close a relative time label: "… ago", "… read".
pub const RELATIVE_TIME_ENDINGS: &[&str] = &["ago", "read"];

/// Interface labels are short; only elements this small are compared.
pub const INTERFACE_LABEL_MAX_CHARACTERS: usize = 24;

/// A boilerplate heading alone at the end of its wrapper heads what follows
/// the wrapper; climb at most this many wrappers to find it.
pub const BOILERPLATE_HEADING_CLIMB: usize = 3;

/// The `id` prefix of a streamed server render's hidden segment (React's
/// `<div hidden id="S:1">`)…
pub const STREAMED_SEGMENT_PREFIX: &str = "S:";

/// …and of the `<template>` placeholders it replaces: a Suspense boundary's
/// (`B:1`) or a postponed part's (`P:1`).
pub const STREAMED_PLACEHOLDER_PREFIXES: &[&str] = &["B:", "P:"];

/// Path segments under which a site describes what it offers: a firm's
/// services and solutions, a city's departments, a school's programs
/// (`/services/data-analytics`, `/what-we-do/cybersecurity`). A story's
/// section is "/news/" or "/blog/", never these.
pub const SERVICE_PATH_SEGMENTS: &[&str] = &[
    "services",
    "service",
    "solutions",
    "consulting",
    "pricing",
    "programs",
    "capabilities",
    "what-we-do",
    "expertise",
    "use-cases",
    "industries",
    "departments",
    "department",
];

/// A link this many words long or longer inside a heading is a story's
/// headline; menu entries and "Learn more" are shorter.
pub const HEADLINE_LINK_MIN_WORDS: usize = 4;

/// A home page or one-word section page with at least this many headline
/// links is a front page listing stories, not a page about a service.
pub const FRONT_PAGE_HEADLINE_LINKS: usize = 5;

/// An undated, unsigned page with at least this many headings…
pub const OFFER_MIN_HEADINGS: usize = 3;

/// …and at most this many words per heading on average is cut into the
/// short sections of a page about an offer (features, plans, steps), not a
/// story's long runs of text.
pub const OFFER_MAX_WORDS_PER_HEADING: usize = 50;

/// The single article body inside a wider `main` becomes the content root
/// when it holds at least this share of the root's text; the rest of the
/// root is then related stories, author cards and sign-up boxes.
pub const ARTICLE_BODY_MIN_SHARE: f64 = 0.5;

/// An article's author card (the writer's photo, name and biography under
/// the story, or a byline box) is marked by a class or id naming the
/// author ([`AUTHOR_MARKS`]) together with a card word ([`AUTHOR_CARD_WORDS`])
/// in one class name (`author-box`, `elementor-author-box__bio`,
/// `ArticleAuthor_wrapper`), or by one of [`AUTHOR_CARD_NAMES`].
pub const AUTHOR_MARKS: &[&str] = &["author", "authors"];

/// See [`AUTHOR_MARKS`].
pub const AUTHOR_CARD_WORDS: &[&str] = &[
    "box",
    "bio",
    "biography",
    "card",
    "about",
    "profile",
    "info",
    "information",
    "details",
    "description",
    "wrap",
    "wrapper",
];

/// See [`AUTHOR_MARKS`]: the same card named in one word.
pub const AUTHOR_CARD_NAMES: &[&str] = &["authorbox", "authorbio", "aboutauthor", "authorcard", "authorinfo"];

/// A block under an article holding at least this many headings, every one
/// of them a link to another page, is a grid of story cards ("More from the
/// blog", "Latest posts": a title, a date, a teaser each)…
pub const STORY_CARDS_MIN: usize = 3;

/// …when it holds at most this many characters (whitespace excluded) per
/// heading: a teaser, not a section of the story.
pub const STORY_CARD_MAX_CHARACTERS: usize = 400;

/// Story cards holding at least this share of an article's text are what
/// the page lists (a guide's chapters, a section front's stories): kept.
pub const STORY_CARDS_LISTING_SHARE: f64 = 0.4;

// Metadata (metadata.rs).

/// Longest title kept, in characters.
pub const MAX_TITLE_CHARS: usize = 300;

/// Longest author (or list of authors) kept from structured sources, in characters.
pub const MAX_AUTHOR_CHARS: usize = 200;

/// Longest byline text accepted from the document; longer is a bio, not a name.
pub const MAX_BYLINE_CHARS: usize = 100;

/// Longest site name kept, in characters.
pub const MAX_SITE_NAME_CHARS: usize = 100;

/// Longest excerpt kept, in characters.
pub const MAX_EXCERPT_CHARS: usize = 500;

/// Longest date text accepted, in characters.
pub const MAX_DATE_CHARS: usize = 64;

/// A title part with fewer words than this is not trusted to be the whole
/// title, unless the part cut off is known to be the site's name.
pub const MIN_TITLE_WORDS: usize = 3;

/// A site or channel name cut off a title has at most this many words.
pub const MAX_SITE_SUFFIX_WORDS: usize = 8;

/// How deep JSON-LD is searched for article and page objects.
pub const MAX_JSON_LD_DEPTH: usize = 6;

/// How many byline and `<time>` candidates the document fallbacks look at.
pub const MAX_DOCUMENT_CANDIDATES: usize = 30;

/// How many text nodes with something to read (not whitespace alone) the
/// plain-text byline and date searches read before giving up.
pub const MAX_SCANNED_TEXT_NODES: usize = 1000;

/// Lowercase words that belong in names and author lists.
pub const NAME_PARTICLES: &[&str] =
    &["and", "&", "de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "al"];

/// Author values that are labels or placeholders, not names (lowercased).
pub const NOT_NAMES: &[&str] = &[
    "author",
    "authors",
    "by",
    "written by",
    "posted by",
    "the author",
    "about the author",
    "follow author",
    "admin",
    "webmaster",
    "home",
    "unknown",
    "anonymous",
    "undefined",
    "null",
];

/// Longest text read as a date line ("Published on March 5, 2019").
pub const MAX_DATE_LINE_CHARS: usize = 48;

/// `<meta>` keys (lowercased, `.` read as `:`) for the title, best first.
pub const TITLE_KEYS: &[&str] = &[
    "dc:title",
    "dcterms:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
    "citation_title",
    "sailthru:title",
];

/// `<meta>` keys for the author, best first (as [`TITLE_KEYS`]).
pub const AUTHOR_KEYS: &[&str] = &[
    "dc:creator",
    "dcterms:creator",
    "author",
    "citation_author",
    "parsely-author",
    "sailthru:author",
    "article:author",
    "og:article:author",
    "byl",
];

/// `<meta>` keys for the site's name, best first (as [`TITLE_KEYS`]).
pub const SITE_NAME_KEYS: &[&str] =
    &["og:site_name", "dc:publisher", "dcterms:publisher", "citation_publisher", "application-name"];

/// `<meta>` keys for the excerpt, best first (as [`TITLE_KEYS`]).
pub const EXCERPT_KEYS: &[&str] = &[
    "dc:description",
    "dcterms:description",
    "og:description",
    "weibo:article:description",
    "weibo:webpage:description",
    "description",
    "twitter:description",
    "sailthru:description",
];

/// `<meta>` keys for the published date, best first (as [`TITLE_KEYS`]).
pub const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru:date",
    "dc:date",
    "dcterms:date",
    "dcterms:issued",
    "dcterms:created",
    "dc:date:issued",
    "dc:date:created",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "weibo:article:create_at",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
];

/// `<meta>` keys for the language, best first (as [`TITLE_KEYS`]).
pub const LANGUAGE_KEYS: &[&str] = &["content-language", "dc:language", "dcterms:language", "language", "og:locale"];

/// Class and id fragments that mark a byline (matched as substrings, case as written).
pub const BYLINE_MARK_WORDS: &[&str] = &["byline", "Byline", "author", "Author"];
/// The fragments of [`BYLINE_MARK_WORDS`] that an `id` is checked for.
pub const BYLINE_ID_MARK_WORDS: &[&str] = &["byline", "author"];

/// Words that begin with a byline mark but name something else: a
/// sign-in box (`authorization`, `authorize`) or an institution
/// (`health-authority`, `authoritative`).
pub const NOT_AUTHORS: &[&str] = &["authoriz", "Authoriz", "authorit", "Authorit"];

// Markdown (markdown.rs).

/// Containers (list items, block quotes) nested deeper than this stop
/// adding indentation or `>` prefixes: their text is still written, as
/// plain lines. Bounds the prefix written on every line, so hostile nesting
/// cannot make the output grow with the square of the depth.
pub const MAX_NESTED_CONTAINERS: usize = 32;

/// A cell spanning more columns than this counts as spanning this many.
pub const MAX_COLSPAN: usize = 64;

/// A data-table cell holding this many paragraph-like blocks is page
/// layout, not data: the table is written as plain blocks.
pub const LAYOUT_CELL_BLOCKS: usize = 3;

/// Links inside link text (an image in a link) deeper than this stay as
/// written: bounds the recursion on hostile text.
pub const MAX_LINK_NESTING: usize = 4;

/// How far [`to_plain_text`] looks for the end of a code span or link, so
/// that a line full of unmatched `[` or backticks stays linear.
pub const MARKUP_SEARCH_BYTES: usize = 4096;

// Page type (page_type.rs).

/// JSON-LD types that declare an article or a post.
pub const ARTICLE_TYPES: &[&str] = &["article", "newsarticle", "blogposting", "report", "scholarlyarticle"];

/// A one-segment path with this many hyphenated words or more is a story's slug.
pub const LANDING_SLUG_WORDS: usize = 4;

/// Path segments that shops put before one product's slug or number
/// (`/products/wool-runner`, Amazon's `/dp/`, Walmart's `/ip/`, eBay's `/itm/`).
pub const PRODUCT_PATH_SEGMENTS: &[&str] = &["product", "products", "dp", "pdp", "ip", "itm", "item"];

/// Path segments that shops put before a category of products
/// (`/collections/mugs`, `/c/bike-helmets`, `/browse/shoes`, WooCommerce's `/product-category/`).
pub const CATEGORY_PATH_SEGMENTS: &[&str] =
    &["/collections/", "/category/", "/categories/", "/product-category/", "/shop/", "/c/", "/browse/"];

/// Labels of the control that puts a product in the cart.
pub const ADD_TO_CART: &[&str] =
    &["add to cart", "add to bag", "add to basket", "add-to-cart", "addtocart", "add_to_cart", "加入购物车"];
