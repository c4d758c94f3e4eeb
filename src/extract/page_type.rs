//! The page-type guess (article, forum, product, collection, listing, documentation, service, other) from structured data, the URL and the document's shape.

use super::parse::{tag_name, Landmarks};
use super::tunables::{
    ADD_TO_CART, ARTICLE_TYPES, CATEGORY_PATH_SEGMENTS, FRONT_PAGE_HEADLINE_LINKS, HEADLINE_LINK_MIN_WORDS,
    LANDING_SLUG_WORDS, OFFER_MAX_WORDS_PER_HEADING, OFFER_MIN_HEADINGS, PRODUCT_PATH_SEGMENTS, SERVICE_PATH_SEGMENTS,
};
use super::PageType;
use dom_query::local_name;

/// What the classifier looks at, read from the parsed document before any cleanup.
#[derive(Clone, Debug, Default)]
pub(super) struct PageSignals {
    /// Every JSON-LD `@type`, lower case.
    pub structured_types: Vec<String>,
    /// `og:type`, lower case.
    pub open_graph_type: String,
    /// The URL's host, lower case.
    pub host: String,
    /// The URL's path and query, lower case.
    pub path: String,
    /// `<pre>` blocks.
    pub code_blocks: usize,
    /// `<article>` elements.
    pub articles: usize,
    /// Buttons, links or forms offering to add to a cart or bag.
    pub add_to_cart: usize,
    /// Headings (`h2`–`h4`) holding a link of [`HEADLINE_LINK_MIN_WORDS`] words or
    /// more: the headlines of a front page's stories.
    pub headline_links: usize,
}

impl PageSignals {
    /// Reads the signals from the page's landmarks (found in one walk).
    pub fn read(landmarks: &Landmarks, json_ld: &[serde_json::Value], url: &str) -> PageSignals {
        let (host, path) = host_and_path(url);
        let mut signals = PageSignals {
            host,
            path,
            code_blocks: landmarks.code_blocks,
            articles: landmarks.articles,
            ..PageSignals::default()
        };
        for block in json_ld {
            collect_structured_types(block, &mut signals.structured_types);
        }
        for meta in &landmarks.metas {
            if meta.attr("property").is_some_and(|property| property.trim() == "og:type") {
                signals.open_graph_type =
                    meta.attr("content").map(|value| value.trim().to_ascii_lowercase()).unwrap_or_default();
            }
        }
        signals.headline_links = landmarks.subheadings.iter().filter(|heading| is_headline_link(heading)).count();
        // Reused for every control's label; the markers are searched with finders built once.
        let mut label = String::new();
        let add_to_cart: Vec<memchr::memmem::Finder> =
            ADD_TO_CART.iter().map(|marker| memchr::memmem::Finder::new(marker.as_bytes())).collect();
        // The markers' distinct first three bytes ("add", "加"): a label
        // holding none of them (most links) is ruled out in one or two searches.
        let mut heads: Vec<&[u8]> =
            ADD_TO_CART.iter().map(|marker| &marker.as_bytes()[..marker.len().min(3)]).collect();
        heads.sort_unstable();
        heads.dedup();
        let heads: Vec<memchr::memmem::Finder> = heads.into_iter().map(memchr::memmem::Finder::new).collect();
        // Buttons are few, so reading their text is cheap; links and
        // forms are many, so only their attributes are read.
        for node in &landmarks.controls {
            // "class name value", lowercased (in place when ASCII, as most are).
            label.clear();
            node.query_or((), |tree_node| {
                let Some(element) = tree_node.as_element() else { return };
                for (at, attribute) in
                    [local_name!("class"), local_name!("name"), local_name!("value")].into_iter().enumerate()
                {
                    if at > 0 {
                        label.push(' ');
                    }
                    label.push_str(super::parse::attribute(element, attribute).unwrap_or_default());
                }
            });
            if tag_name(node) == Some(local_name!("button")) {
                label.extend(node.text().chars().take(40));
            }
            let lowered = if label.is_ascii() {
                label.make_ascii_lowercase();
                std::borrow::Cow::Borrowed(label.as_str())
            } else {
                std::borrow::Cow::Owned(label.to_lowercase())
            };
            let found = |finders: &[memchr::memmem::Finder]| {
                finders.iter().any(|finder| finder.find(lowered.as_bytes()).is_some())
            };
            if found(&heads) && found(&add_to_cart) {
                signals.add_to_cart += 1;
            }
        }
        signals
    }

    /// Whether the structured data says the page is an article or a post.
    pub fn declares_article(&self) -> bool {
        self.has_type(ARTICLE_TYPES)
    }

    fn has_type(&self, wanted: &[&str]) -> bool {
        self.structured_types.iter().any(|found| wanted.contains(&found.as_str()))
    }

    fn count_type(&self, wanted: &str) -> usize {
        self.structured_types.iter().filter(|found| found.as_str() == wanted).count()
    }

    fn path_has(&self, fragments: &[&str]) -> bool {
        fragments.iter().any(|fragment| self.path.contains(fragment))
    }
}

/// Whether a heading links to a story: it holds a link of at least
/// [`HEADLINE_LINK_MIN_WORDS`] words, or is that long and inside a link (a card).
fn is_headline_link(heading: &dom_query::NodeRef) -> bool {
    let long = |node: &dom_query::NodeRef| node.text().split_whitespace().count() >= HEADLINE_LINK_MIN_WORDS;
    let is_link = |node: &dom_query::NodeRef| tag_name(node) == Some(local_name!("a"));
    heading.descendants_it().any(|node| is_link(&node) && long(&node))
        || long(heading) && heading.ancestors_it(None).any(|ancestor| is_link(&ancestor))
}

/// Whether the content is cut into short sections, as a page about an
/// offer is (features, plans, steps, FAQs): at least
/// [`OFFER_MIN_HEADINGS`] headings, with at most
/// [`OFFER_MAX_WORDS_PER_HEADING`] words of text each on average. A story
/// runs longer between its headings.
pub(super) fn is_sectioned_offer(root: &dom_query::NodeRef) -> bool {
    let mut headings = 0;
    let mut words = 0;
    for node in root.descendants_it() {
        if node.is_text() {
            words += node.query_or(0, |tree_node| match &tree_node.data {
                dom_query::NodeData::Text { contents } => contents.split_whitespace().count(),
                _ => 0,
            });
        } else if node.query_or(false, |tree_node| match &tree_node.data {
            dom_query::NodeData::Element(element) => {
                matches!(element.name.local.as_ref(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
            }
            _ => false,
        }) {
            headings += 1;
        }
    }
    headings >= OFFER_MIN_HEADINGS && words <= headings * OFFER_MAX_WORDS_PER_HEADING
}

/// Guesses the page type. Structured data speaks first, then the URL, then
/// the document's shape.
pub(super) fn classify(signals: &PageSignals) -> PageType {
    let open_graph = signals.open_graph_type.as_str();
    let forum_host = ["forum.", "forums.", "community.", "discuss.", "discourse.", "bbs."]
        .iter()
        .any(|prefix| signals.host.starts_with(prefix));
    let forum_posting = signals.has_type(&["discussionforumposting", "qapage"]);
    // One product, or one product in its variants (a `ProductGroup` whose
    // `hasVariant` lists a `Product` per size or colour): a shop's page,
    // whatever its path looks like.
    let one_product = signals.count_type("product") == 1 || signals.count_type("productgroup") == 1;
    if !forum_posting && one_product {
        return PageType::Product;
    }
    if forum_posting
        || forum_host
        || signals.path_has(&[
            "/forum",
            "/thread",
            "/t/",
            "/topic",
            "/questions/",
            "/community",
            "/discussion",
            "viewtopic",
            "showthread",
        ])
    {
        return PageType::Forum;
    }
    let products = signals.count_type("product");
    if open_graph == "product.group" || signals.has_type(&["collectionpage"]) {
        return PageType::Collection;
    }
    // One product described, or a shop's product address: its variants,
    // recommendations and sticky "Add to cart" bar do not make it a category.
    let shop = products >= 1 || signals.add_to_cart >= 1;
    if products == 1 || shop && is_product_path(&signals.path) {
        return PageType::Product;
    }
    if signals.path_has(CATEGORY_PATH_SEGMENTS) || products >= 3 || signals.add_to_cart >= 3 {
        return PageType::Collection;
    }
    if products >= 1 || open_graph == "product" || signals.add_to_cart >= 1 {
        return PageType::Product;
    }
    let docs_host =
        ["docs.", "doc.", "developer.", "developers.", "learn."].iter().any(|p| signals.host.starts_with(p));
    if docs_host
        || signals.code_blocks >= 1 && signals.path_has(&["/docs", "/doc/", "/reference", "/api", "/manual", "/guide"])
        || signals.has_type(&["techarticle", "apireference"])
    {
        return PageType::Documentation;
    }
    if signals.declares_article() {
        return PageType::Article;
    }
    // A firm's "/services/…" or "/solutions/…" page; `og:type` "article" is
    // what site builders put on every page.
    if is_service_path(&signals.path) {
        return PageType::Service;
    }
    if open_graph == "article" {
        return PageType::Article;
    }
    // A front page or section front whose headings link to stories lists them.
    // A page without an address (a pasted snippet) is no site's landing page.
    let landing = !signals.host.is_empty() && is_landing_path(&signals.path);
    let front_page = landing && signals.headline_links >= FRONT_PAGE_HEADLINE_LINKS;
    if signals.has_type(&["itemlist", "searchresultspage"])
        || signals.articles >= 3
        || front_page
        || signals.path_has(&["/search", "?q=", "/tag/", "/tags/", "/category"])
    {
        return PageType::Listing;
    }
    if signals.has_type(&["service", "faqpage", "localbusiness", "professionalservice"]) || landing {
        return PageType::Service;
    }
    PageType::Article
}

/// A shop's address for one product: a product segment ("/products/",
/// "/dp/", "/itm/"…) followed by the product's own segment.
fn is_product_path(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    segments.iter().rev().skip(1).any(|segment| PRODUCT_PATH_SEGMENTS.contains(segment))
}

/// An address inside a site's offer: a path segment (extension aside) in
/// [`SERVICE_PATH_SEGMENTS`], before the last or as the last.
fn is_service_path(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/')
        .map(|segment| segment.split('.').next().unwrap_or_default())
        .any(|segment| SERVICE_PATH_SEGMENTS.contains(&segment))
}

/// A site's home page or a one-word section page ("/pricing", "/features"),
/// not a story's slug ("/how-tide-pools-form").
fn is_landing_path(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    match segments.as_slice() {
        [] => true,
        [only] => only.split(['-', '_']).count() < LANDING_SLUG_WORDS && !only.contains('.'),
        _ => false,
    }
}

/// The URL's host, and its path and query, lower case (all path when it has no scheme).
fn host_and_path(url: &str) -> (String, String) {
    let (host, path) = match url.split_once("://") {
        Some((_, rest)) => match rest.find(['/', '?', '#']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        },
        None => ("", url),
    };
    (host.to_ascii_lowercase(), path.to_ascii_lowercase())
}

/// Appends every `"@type"` value in a JSON-LD block (strings and arrays of
/// strings), lower case.
fn collect_structured_types(value: &serde_json::Value, types: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    if key == "@type" {
                        match item {
                            serde_json::Value::String(name) => types.push(name.to_ascii_lowercase()),
                            serde_json::Value::Array(names) => types.extend(
                                names.iter().filter_map(|name| name.as_str()).map(|name| name.to_ascii_lowercase()),
                            ),
                            _ => {}
                        }
                    } else {
                        stack.push(item);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(html: &str, url: &str) -> PageType {
        let document = dom_query::Document::from(html);
        let landmarks = Landmarks::find(&document);
        classify(&PageSignals::read(&landmarks, &super::super::json_ld::blocks(&landmarks.json_ld), url))
    }

    #[test]
    fn structured_data_speaks_first() {
        let product = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"BreadcrumbList"},{"@type":["Product","Thing"],"name":"Kettle"}]}</script>"#;
        assert_eq!(guess(product, "https://shop.example/kettle"), PageType::Product);
        let posting = r#"<script type="application/ld+json">{"@type":"DiscussionForumPosting"}</script>"#;
        assert_eq!(guess(posting, "https://example.com/x"), PageType::Forum);
        let news = r#"<script type="application/ld+json">{"@type":"NewsArticle"}</script>"#;
        assert_eq!(guess(news, "https://news.example/2026/story"), PageType::Article);
        assert_eq!(
            guess(r#"<meta property="og:type" content="product.group">"#, "https://s.example/c"),
            PageType::Collection
        );
    }

    #[test]
    fn one_product_in_its_variants_is_a_product_page_whatever_its_path() {
        let group = r#"<script type="application/ld+json">{"@type":"ProductGroup","name":"Pegasus 41",
            "hasVariant":[{"@type":"Product","size":"9"},{"@type":"Product","size":"10"},{"@type":"Product","size":"11"}]}
            </script><button>Add to bag</button><button>Add to bag</button><button>Add to bag</button>"#;
        assert_eq!(guess(group, "https://shoes.example/t/pegasus-41-road-running-shoes"), PageType::Product);
        assert_eq!(guess(group, "https://shop.example/collections/running/pegasus-41"), PageType::Product);
        // A firm's catalogue of services, named in its organization's data, is no shop category.
        let firm = r#"<script type="application/ld+json">{"@type":"Organization","hasOfferCatalog":
            {"@type":"OfferCatalog","name":"Rentals"}}</script>"#;
        assert_ne!(guess(firm, "https://gym.example/equipment-rental"), PageType::Collection);
    }

    #[test]
    fn the_url_and_the_document_shape_decide_the_rest() {
        assert_eq!(guess("<p>Post</p>", "https://forum.example/viewtopic.php?t=1"), PageType::Forum);
        assert_eq!(guess("<p>Post</p>", "https://bbs.example.cn/thread-1.html"), PageType::Forum);
        assert_eq!(guess("<pre>cargo run</pre>", "https://tool.example/docs/start"), PageType::Documentation);
        let cards = "<article>a</article><article>b</article><article>c</article>";
        assert_eq!(guess(cards, "https://news.example/world"), PageType::Listing);
        let shop = "<button>Add to cart</button><button>Add to cart</button><button class=add-to-cart>+</button>";
        assert_eq!(guess(shop, "https://shop.example/mugs"), PageType::Collection);
        assert_eq!(guess("<button>Add to Cart</button>", "https://shop.example/mug"), PageType::Product);
        // A product page's recommendations carry their own buttons; its address still names one product.
        assert_eq!(guess(shop, "https://shop.example/products/tide-mug"), PageType::Product);
        assert_eq!(guess(shop, "https://shop.example/products"), PageType::Collection);
        for category in ["/c/bike-helmets", "/browse/shoes/mens", "/product-category/gadgets/"] {
            assert_eq!(guess("<p>Helmets</p>", &format!("https://shop.example{category}")), PageType::Collection);
        }
        assert_ne!(guess("<p>Guide</p>", "https://gov.example/collection/small-business-guide"), PageType::Collection);
        assert_ne!(guess("<p>Plans</p>", "https://saas.example/products/crm"), PageType::Product);
        assert_eq!(
            guess("<p>Plain words.</p>", "https://blog.example/how-tide-pools-form-at-low-tide"),
            PageType::Article
        );
        assert_eq!(guess("<p>Plain words.</p>", "https://tool.example/"), PageType::Service);
        assert_eq!(guess("<p>Plain words.</p>", ""), PageType::Article);
        assert_eq!(guess("<p>Plain words.</p>", "https://tool.example/pricing"), PageType::Service);
        assert_eq!(guess("<p>API</p>", "https://docs.tool.example/start"), PageType::Documentation);
    }

    #[test]
    fn a_firms_offer_is_a_service_even_where_every_page_says_article() {
        let page = r#"<meta property="og:type" content="article"><h1>Cybersecurity consulting</h1>"#;
        for path in ["/services/cybersecurity", "/us/en/services.html", "/what-we-do/expertise/security.html"] {
            assert_eq!(guess(page, &format!("https://firm.example{path}")), PageType::Service, "{path}");
        }
        assert_eq!(guess(page, "https://firm.example/blog/why-audits-fail"), PageType::Article);
        let story = r#"<script type="application/ld+json">{"@type":"BlogPosting"}</script>"#;
        assert_eq!(guess(story, "https://firm.example/services/why-audits-fail"), PageType::Article);
    }

    #[test]
    fn a_front_page_whose_headings_link_to_stories_is_a_listing() {
        let stories: String = (0..5)
            .map(|i| format!("<h3><a href=/s{i}>Tide pools hold more life than the reef {i}</a></h3><p>Teaser.</p>"))
            .collect();
        assert_eq!(guess(&stories, "https://news.example/science"), PageType::Listing);
        let cards: String =
            (0..5).map(|i| format!("<a href=/s{i}><h2>Kelp forests grow a foot a day {i}</h2></a>")).collect();
        assert_eq!(guess(&cards, "https://news.example/"), PageType::Listing);
        let offer =
            "<h2><a href=/a>Pricing</a></h2><h2><a href=/b>Learn more</a></h2><h3>Fast deploys for every team</h3>";
        assert_eq!(guess(offer, "https://tool.example/"), PageType::Service);
    }
}
