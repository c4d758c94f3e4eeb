//! The URL-keyed table of site-specific extraction rules (Wikipedia, GitHub, Stack Exchange, Reddit, Zhihu, CSDN, YouTube…); every other site takes the generic path.

use super::PageType;
use dom_query::{Document, NodeId, NodeRef};
use std::collections::HashSet;

/// How to read one site.
#[derive(Debug)]
pub(super) struct SiteRule {
    /// The site, for reports.
    pub name: &'static str,
    /// Hosts it applies to: the host itself or any subdomain of it.
    pub hosts: &'static [&'static str],
    /// When set, the URL path must contain one of these.
    pub paths: &'static [&'static str],
    /// Selectors of the content, in page order (a question and its answers…).
    pub content: &'static [&'static str],
    /// Selectors of furniture inside the content (edit links, vote widgets…).
    pub remove: &'static [&'static str],
    /// What kind of page the site's pages at these paths are.
    pub page_type: PageType,
}

/// The table. Rules are tried in order; the first whose host and path
/// match and whose content selectors find something wins.
pub(super) const SITE_RULES: &[SiteRule] = &[
    SiteRule {
        name: "Wikipedia",
        hosts: &["wikipedia.org", "wikimedia.org", "wiktionary.org"],
        paths: &["/wiki/"],
        content: &["#mw-content-text"],
        remove: &[
            ".mw-editsection",
            "sup.reference",
            ".navbox",
            ".vertical-navbox",
            ".metadata",
            ".ambox",
            ".hatnote",
            "#toc",
            ".toc",
            ".mw-jump-link",
            ".noprint",
            ".catlinks",
        ],
        page_type: PageType::Article,
    },
    SiteRule {
        name: "GitHub issue or pull request",
        hosts: &["github.com"],
        paths: &["/issues/", "/pull/", "/discussions/"],
        content: &[".js-issue-title", ".js-discussion", "[data-testid=issue-viewer-container]"],
        remove: &[".timeline-comment-actions", ".js-comment-edit-history", ".reaction-summary", "form"],
        page_type: PageType::Forum,
    },
    SiteRule {
        name: "GitHub repository",
        hosts: &["github.com"],
        paths: &[],
        content: &["article.markdown-body", "#readme"],
        remove: &[".anchor", ".octicon"],
        page_type: PageType::Documentation,
    },
    SiteRule {
        name: "Stack Exchange",
        hosts: &["stackoverflow.com", "stackexchange.com", "superuser.com", "serverfault.com", "askubuntu.com"],
        paths: &["/questions/"],
        content: &["#question-header", "#question", "#answers"],
        remove: &[
            ".js-post-menu",
            ".js-voting-container",
            ".votecell",
            ".-flair",
            ".user-gravatar32",
            ".comment-score",
            ".comment-date",
            ".js-comments-container .js-add-link",
            "#answers-header",
            // Comments ask for clarification and are meant to be
            // temporary; the question and its answers are the page.
            ".js-post-comments-component",
            ".js-comments-container",
            // The tags and the "asked…/answered…/edited…" cards under each post.
            ".post-taglist",
            ".post-signature",
            ".aside-cta",
            // "You must log in to answer this question", "Explore related
            // questions… See similar questions with these tags" under the answers.
            ".js-bottom-notice",
        ],
        page_type: PageType::Forum,
    },
    SiteRule {
        name: "Reddit",
        hosts: &["reddit.com"],
        paths: &["/r/"],
        content: &["shreddit-post", "shreddit-comment-tree", "#siteTable", ".commentarea"],
        remove: &["faceplate-tracker", "shreddit-comment-action-row", ".flat-list.buttons"],
        page_type: PageType::Forum,
    },
    SiteRule {
        name: "Zhihu question",
        hosts: &["zhihu.com"],
        paths: &["/question/"],
        content: &[".QuestionHeader-title", ".QuestionRichText", ".AnswerItem .RichContent-inner", ".AuthorInfo-name"],
        remove: &[".ContentItem-actions", ".Reward"],
        page_type: PageType::Forum,
    },
    SiteRule {
        name: "Zhihu column",
        hosts: &["zhuanlan.zhihu.com"],
        paths: &[],
        content: &[".Post-Title", ".Post-RichText"],
        remove: &[],
        page_type: PageType::Article,
    },
    SiteRule {
        name: "CSDN blog",
        hosts: &["blog.csdn.net"],
        paths: &[],
        content: &["h1.title-article", "#content_views"],
        remove: &[".hljs-button", ".pre-numbering", ".signin"],
        page_type: PageType::Article,
    },
    SiteRule {
        name: "YouTube video",
        hosts: &["youtube.com"],
        paths: &["/watch"],
        content: &["h1.ytd-watch-metadata", "#title h1", "#description-inline-expander", "#description"],
        remove: &["#expand", "#collapse"],
        page_type: PageType::Other,
    },
    SiteRule {
        name: "Hacker News item",
        hosts: &["news.ycombinator.com"],
        paths: &["/item"],
        content: &[".fatitem", ".comment-tree"],
        remove: &[".reply", ".votelinks", ".navs"],
        page_type: PageType::Forum,
    },
    SiteRule {
        name: "MDN",
        hosts: &["developer.mozilla.org"],
        paths: &[],
        content: &["main#content article", ".main-page-content"],
        remove: &[".metadata", ".bc-github-link", ".document-toc-container"],
        page_type: PageType::Documentation,
    },
];

/// The rules that apply to `url`, in the table's order.
pub(super) fn rules_for(url: &str) -> impl Iterator<Item = &'static SiteRule> {
    let (host, path) = url
        .split_once("://")
        .map(|(_, rest)| {
            let (authority, path) = rest.find(['/', '?', '#']).map(|at| rest.split_at(at)).unwrap_or((rest, "/"));
            let host = authority.rsplit('@').next().unwrap_or(authority);
            (host.split(':').next().unwrap_or(host).to_ascii_lowercase(), path.to_string())
        })
        .unwrap_or_default();
    SITE_RULES.iter().filter(move |rule| {
        !host.is_empty()
            && rule.hosts.iter().any(|wanted| host == *wanted || host.ends_with(&format!(".{wanted}")))
            && (rule.paths.is_empty() || rule.paths.iter().any(|part| path.contains(part)))
    })
}

/// Applies `rule` to the document: removes its furniture and returns the
/// content root, pruned down to the matched blocks (in page order), or
/// `None` when none of its content selectors match (the page changed
/// shape; the generic path takes over).
pub(super) fn apply<'a>(document: &'a Document, rule: &SiteRule) -> Option<NodeRef<'a>> {
    let mut matches: Vec<NodeRef<'a>> = Vec::new();
    for selector in rule.content {
        matches.extend(document.select(selector).nodes().iter().copied());
    }
    if matches.is_empty() {
        return None;
    }
    // One walk for all of them: a walk per selector was most of a rule's cost.
    if !rule.remove.is_empty() {
        document.select(&rule.remove.join(", ")).remove();
    }
    // Matches removed by a `remove` selector no longer have a parent chain to the document.
    let matched: HashSet<NodeId> = matches.iter().map(|node| node.id).collect();
    let mut on_path: HashSet<NodeId> = HashSet::new();
    let mut chains: Vec<Vec<NodeRef<'a>>> = Vec::new();
    for node in &matches {
        let mut chain: Vec<NodeRef<'a>> = node.ancestors_it(None).collect();
        chain.reverse();
        on_path.extend(chain.iter().map(|ancestor| ancestor.id));
        chains.push(chain);
    }
    // The deepest element shared by every match's ancestor chain.
    let mut root = *matches.first()?;
    if matches.len() > 1 {
        let first = chains.first()?;
        let shared = (0..first.len())
            .take_while(|&depth| chains.iter().all(|chain| chain.get(depth).map(|n| n.id) == Some(first[depth].id)))
            .count();
        root = *first.get(shared.checked_sub(1)?)?;
    }
    if matches.len() > 1 {
        // Keep only the matches and the paths down to them.
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for child in node.children() {
                if matched.contains(&child.id) {
                    continue;
                }
                if on_path.contains(&child.id) {
                    stack.push(child);
                } else if child.is_element() {
                    child.remove_from_parent();
                }
            }
        }
    }
    Some(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_for(url: &str) -> Option<&'static SiteRule> {
        rules_for(url).next()
    }

    #[test]
    fn every_selector_parses_alone_and_the_removals_as_one_list() {
        for rule in SITE_RULES {
            for selector in rule.content.iter().chain(rule.remove) {
                assert!(dom_query::Matcher::new(selector).is_ok(), "{}: {selector}", rule.name);
            }
            assert!(
                dom_query::Matcher::new(&rule.remove.join(", ")).is_ok() || rule.remove.is_empty(),
                "{}",
                rule.name
            );
        }
    }

    #[test]
    fn rules_match_on_host_suffix_and_path() {
        assert_eq!(rule_for("https://en.wikipedia.org/wiki/Tide_pool").map(|r| r.name), Some("Wikipedia"));
        assert_eq!(rule_for("https://en.wikipedia.org/w/index.php?title=X").map(|r| r.name), None);
        assert_eq!(rule_for("https://stackoverflow.com/questions/1/x").map(|r| r.name), Some("Stack Exchange"));
        assert_eq!(rule_for("https://unix.stackexchange.com/questions/2").map(|r| r.name), Some("Stack Exchange"));
        assert_eq!(rule_for("https://zhuanlan.zhihu.com/p/123").map(|r| r.name), Some("Zhihu column"));
        assert_eq!(rule_for("https://www.zhihu.com/question/1").map(|r| r.name), Some("Zhihu question"));
        assert_eq!(rule_for("https://www.youtube.com/watch?v=x").map(|r| r.name), Some("YouTube video"));
        assert_eq!(rule_for("https://notwikipedia.org/wiki/X").map(|r| r.name), None);
        assert!(rule_for("not a url").is_none());
        let github: Vec<_> = rules_for("https://github.com/o/r/issues/1").map(|r| r.name).collect();
        assert_eq!(github, ["GitHub issue or pull request", "GitHub repository"]);
        assert_eq!(rule_for("https://github.com/o/r").map(|r| r.name), Some("GitHub repository"));
    }

    #[test]
    fn several_content_blocks_keep_their_order_and_drop_what_lies_between() {
        let document = Document::from(
            "<body><div id=page><div id=question-header><h1>Why?</h1></div><div class=ad>Buy now</div>\
             <div id=question>Because <span class=js-voting-container>12</span>it is.</div>\
             <div class=sidebar>Hot network questions</div><div id=answers>It is not.</div></div></body>",
        );
        let rule = rule_for("https://stackoverflow.com/questions/1").expect("a rule");
        let root = apply(&document, rule).expect("content");
        let text = root.text();
        assert!(text.contains("Why?") && text.contains("Because") && text.contains("It is not."), "{text}");
        assert!(!text.contains("Buy now") && !text.contains("Hot network") && !text.contains("12"), "{text}");
        assert!(text.find("Why?") < text.find("Because"));
    }

    #[test]
    fn stack_exchange_keeps_the_answers_but_not_their_comments_tags_or_signature_cards() {
        let document = Document::from(
            "<body><div id=question-header><h1>Why?</h1><div class=aside-cta><a href=/questions/ask>Ask Question</a>\
             </div></div><div id=question><p>Because it is.</p><div class=post-taglist><a>python</a></div>\
             <div class=\"post-signature owner\">asked Jun 29, 2012 by Pup</div>\
             <div class=\"post-layout--right js-post-comments-component\"><ul><li>Did you try rebooting? – Leo</li>\
             </ul><a>Add a comment</a></div></div><div id=answers><p>It is not.</p><h2 class=\"js-bottom-notice \
             bottom-notice\">You must log in to answer this question.</h2><div class=\"js-bottom-notice d-flex\">\
             Explore related questions</div></div></body>",
        );
        let rule = rule_for("https://superuser.com/questions/1").expect("a rule");
        let text = apply(&document, rule).expect("content").text();
        assert!(text.contains("Why?") && text.contains("Because it is.") && text.contains("It is not."), "{text}");
        for dropped in ["Ask Question", "python", "asked Jun", "rebooting", "Add a comment", "log in", "Explore"] {
            assert!(!text.contains(dropped), "{dropped}: {text}");
        }
    }

    #[test]
    fn a_rule_whose_selectors_miss_leaves_the_page_to_the_generic_path() {
        let document = Document::from("<body><p>Redesigned page.</p></body>");
        let rule = rule_for("https://en.wikipedia.org/wiki/X").expect("a rule");
        assert!(apply(&document, rule).is_none());
    }
}
