//! Runs of identical sibling elements: a marquee or ticker repeats one short label to fill a strip of screen.

use super::parse::tag_name;
use super::tunables::{SIBLING_RUN_MAX_CHARACTERS, SIBLING_RUN_MIN_LENGTH};
use super::Dropped;
use dom_query::{local_name, LocalName, NodeData, NodeRef};
use html5ever::tendril::StrTendril;

/// Keeps the first of each run of at least [`SIBLING_RUN_MIN_LENGTH`]
/// consecutive sibling elements with the same short text and the same
/// markup ("Book Now ✱ Book Now ✱ …", scrolled by CSS) and removes the rest
/// (counted).
/// Table rows and cells are left alone: a comparison table's "Yes" columns
/// repeat by design.
pub(super) fn collapse_sibling_runs(root: &NodeRef, dropped: &mut Dropped) {
    let mut doomed = Vec::new();
    for parent in std::iter::once(*root).chain(root.descendants_it()) {
        match tag_name(&parent) {
            Some(name) if !matches!(name.as_ref(), "table" | "thead" | "tbody" | "tfoot" | "tr") => {}
            _ => continue,
        }
        // Cheap first: a run shares its tag and class; only such runs have their text and markup compared.
        let mut run: Vec<NodeRef> = Vec::new();
        let mut run_shape = None;
        let mut child = parent.first_element_child();
        while let Some(current) = child {
            child = current.next_element_sibling();
            let current_shape = shape(&current);
            if current_shape != run_shape {
                collect_repeats(&run, &mut doomed);
                run.clear();
                run_shape = current_shape;
            }
            run.push(current);
        }
        collect_repeats(&run, &mut doomed);
    }
    for node in doomed {
        dropped.boilerplate_elements += 1;
        node.remove_from_parent();
    }
}

/// An element's tag and `class`, read in place (the class shared, not
/// copied: this runs on every element).
fn shape(node: &NodeRef) -> Option<(LocalName, Option<StrTendril>)> {
    node.query_or(None, |tree_node| match &tree_node.data {
        NodeData::Element(element) => {
            let class = element.attrs.iter().find(|attribute| attribute.name.local == local_name!("class"));
            Some((element.name.local.clone(), class.map(|attribute| attribute.value.clone())))
        }
        _ => None,
    })
}

/// Adds to `doomed` all but the first of each stretch of at least
/// [`SIBLING_RUN_MIN_LENGTH`] elements in `run` (siblings of one shape)
/// with the same short text and markup.
fn collect_repeats<'a>(run: &[NodeRef<'a>], doomed: &mut Vec<NodeRef<'a>>) {
    if run.len() < SIBLING_RUN_MIN_LENGTH {
        return;
    }
    // The stretch's first element's text, and its markup once a later
    // element's text matched (only then is markup serialized and compared).
    let mut stretch_start = 0;
    let mut stretch_key: Option<(String, Option<String>)> = None;
    for (at, node) in run.iter().enumerate() {
        let text = short_text(node);
        let continues = match (&text, &mut stretch_key) {
            (Some(text), Some((stretch_text, stretch_markup))) if text == stretch_text => {
                let stretch_markup = stretch_markup.get_or_insert_with(|| run[stretch_start].html().to_string());
                *stretch_markup == *node.html()
            }
            _ => false,
        };
        if continues {
            continue;
        }
        if at - stretch_start >= SIBLING_RUN_MIN_LENGTH && stretch_key.is_some() {
            doomed.extend_from_slice(&run[stretch_start + 1..at]);
        }
        stretch_start = at;
        stretch_key = text.map(|text| (text, None));
    }
    if run.len() - stretch_start >= SIBLING_RUN_MIN_LENGTH && stretch_key.is_some() {
        doomed.extend_from_slice(&run[stretch_start + 1..]);
    }
}

/// The element's text with whitespace folded, when it has letters or
/// digits and is at most [`SIBLING_RUN_MAX_CHARACTERS`] long; the walk stops
/// as soon as the text is too long or the element too large, so large blocks cost little.
fn short_text(node: &NodeRef) -> Option<String> {
    // Room for the longest text that qualifies (most do), so it grows at most once.
    let mut folded = String::with_capacity(SIBLING_RUN_MAX_CHARACTERS);
    // The text nodes' bytes, one more for each (the space between two).
    let mut text_bytes = 0;
    for (visited, descendant) in node.descendants_it().enumerate() {
        if visited > SIBLING_RUN_MAX_CHARACTERS {
            return None;
        }
        let too_long = descendant.query_or(false, |tree_node| {
            let NodeData::Text { contents } = &tree_node.data else { return false };
            text_bytes += contents.len() + 1;
            if text_bytes > SIBLING_RUN_MAX_CHARACTERS * 4 {
                return true;
            }
            for word in contents.split_whitespace() {
                if !folded.is_empty() {
                    folded.push(' ');
                }
                folded.push_str(word);
            }
            false
        });
        if too_long {
            return None;
        }
    }
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
