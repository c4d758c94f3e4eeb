//! Runs of identical sibling elements: a marquee or ticker repeats one short label to fill a strip of screen.

use super::tunables::{SIBLING_RUN_MAX_CHARACTERS, SIBLING_RUN_MIN_LENGTH};
use super::Dropped;
use dom_query::NodeRef;

/// Keeps the first of each run of at least [`SIBLING_RUN_MIN_LENGTH`]
/// consecutive sibling elements with the same short text and the same
/// markup ("Book Now ✱ Book Now ✱ …", scrolled by CSS) and removes the rest
/// (counted).
/// Table rows and cells are left alone: a comparison table's "Yes" columns
/// repeat by design.
pub(super) fn collapse_sibling_runs(root: &NodeRef, dropped: &mut Dropped) {
    let parents: Vec<NodeRef> = std::iter::once(*root)
        .chain(root.descendants_it())
        .filter(|node| node.is_element())
        .filter(|node| !matches!(node.node_name().as_deref(), Some("table" | "thead" | "tbody" | "tfoot" | "tr")))
        .collect();
    for parent in parents {
        let children = parent.element_children();
        if children.len() < SIBLING_RUN_MIN_LENGTH {
            continue;
        }
        let mut doomed = Vec::new();
        let mut run: Vec<&NodeRef> = Vec::new();
        let mut run_key: Option<(String, String)> = None;
        for child in &children {
            let key = short_text(child).map(|text| (child.node_name().unwrap_or_default().to_string(), text));
            // Cards that differ only by picture or target (coupons, "7.9 Compare") are items, not a marquee.
            if key.is_some() && key == run_key && run.first().is_some_and(|first| first.html() == child.html()) {
                run.push(child);
                continue;
            }
            if run.len() >= SIBLING_RUN_MIN_LENGTH {
                doomed.extend(run.drain(1..).copied());
            }
            run = vec![child];
            run_key = key;
        }
        if run.len() >= SIBLING_RUN_MIN_LENGTH {
            doomed.extend(run.drain(1..).copied());
        }
        for node in doomed {
            dropped.boilerplate_elements += 1;
            node.remove_from_parent();
        }
    }
}

/// The element's text with whitespace folded, when it has letters or
/// digits and is at most [`SIBLING_RUN_MAX_CHARACTERS`] long; the walk stops
/// as soon as the text is too long, so large blocks cost little.
fn short_text(node: &NodeRef) -> Option<String> {
    let mut text = String::new();
    for descendant in node.descendants_it() {
        if descendant.is_text() {
            text.push_str(&descendant.text());
            text.push(' ');
            if text.len() > SIBLING_RUN_MAX_CHARACTERS * 4 {
                return None;
            }
        }
    }
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (folded.chars().count() <= SIBLING_RUN_MAX_CHARACTERS && folded.chars().any(char::is_alphanumeric))
        .then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    fn collapsed(html: &str) -> String {
        let document = Document::from(html);
        let body = document.body().unwrap();
        collapse_sibling_runs(&body, &mut Dropped::default());
        let texts: Vec<String> = body.descendants_it().filter(|n| n.is_text()).map(|n| n.text().to_string()).collect();
        texts.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_marquee_says_its_label_once() {
        let marquee = "<span>Book Now <span>*</span></span>".repeat(12);
        assert_eq!(
            collapsed(&format!("<p>Packaging that sells.</p><div>{marquee}</div>")),
            "Packaging that sells. Book Now *"
        );
    }

    #[test]
    fn short_runs_tables_and_different_items_stay() {
        let row = format!("<table><tr><td>Plan</td>{}</tr></table>", "<td>Yes</td>".repeat(5));
        assert_eq!(collapsed(&row), format!("Plan{}", " Yes".repeat(5)));
        assert_eq!(collapsed("<ul><li>Yes</li><li>Yes</li><li>Yes</li></ul>"), "Yes Yes Yes");
        let coupons: String = (0..4).map(|i| format!("<div><img src=/c{i}.png alt=\"\">Expires soon</div>")).collect();
        assert_eq!(collapsed(&coupons), "Expires soon Expires soon Expires soon Expires soon");
        assert_eq!(
            collapsed("<ul><li>One</li><li>Two</li><li>One</li><li>One</li><li>One</li></ul>"),
            "One Two One One One"
        );
    }
}
