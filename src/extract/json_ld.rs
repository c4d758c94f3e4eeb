//! Structured data: the page's JSON-LD blocks, parsed once, and the product facts many shops render only through scripts.

use dom_query::{local_name, Element, NodeRef};
use serde_json::Value;

/// Every JSON-LD block of the page, parsed once for metadata, page type
/// and product facts. Read before scripts are removed. Tolerates the
/// wrappers pages put around them (`<![CDATA[`, `<!--`, trailing `;`) and
/// raw control characters inside strings; unparsable blocks are skipped.
pub(super) fn blocks(scripts: &[NodeRef]) -> Vec<Value> {
    scripts.iter().filter_map(|script| parse(&script.text())).collect()
}

/// `script[type*="ld+json"]`, the type compared ignoring ASCII case as CSS does for HTML's `type`.
pub(super) fn is_json_ld(element: &Element) -> bool {
    element.name.local == local_name!("script")
        && element.attrs.iter().any(|attribute| {
            attribute.name.local == local_name!("type") && attribute.value.to_ascii_lowercase().contains("ld+json")
        })
}

fn parse(text: &str) -> Option<Value> {
    let mut text = text.trim();
    while let Some(shorter) = ["]]>", "-->", "//", ";"].iter().find_map(|end| text.strip_suffix(end)) {
        text = shorter.trim_end();
    }
    while let Some(longer) = ["<!--", "//", "<![CDATA["].iter().find_map(|start| text.strip_prefix(start)) {
        text = longer.trim_start();
    }
    serde_json::from_str(text).ok().or_else(|| {
        let repaired: String =
            text.chars().map(|character| if character.is_control() { ' ' } else { character }).collect();
        serde_json::from_str(&repaired).ok()
    })
}

/// The `Product` objects in the JSON-LD blocks, including inside `@graph`
/// and arrays.
pub(super) fn products(blocks: &[Value]) -> Vec<Value> {
    let mut found = Vec::new();
    for block in blocks {
        collect_products(block, &mut found, 0);
    }
    found
}

fn collect_products(value: &Value, found: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|item| collect_products(item, found, depth + 1)),
        Value::Object(fields) => {
            let is_product = match fields.get("@type") {
                Some(Value::String(kind)) => kind == "Product",
                Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "Product"),
                _ => false,
            };
            if is_product {
                found.push(value.clone());
            } else if let Some(graph) = fields.get("@graph") {
                collect_products(graph, found, depth + 1);
            }
        }
        _ => {}
    }
}

/// A Markdown block with a product's name, price, brand and description.
pub(super) fn product_markdown(product: &Value) -> String {
    let text = |value: Option<&Value>| -> Option<String> {
        let raw = match value? {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Object(fields) => return fields.get("name").and_then(Value::as_str).map(String::from),
            _ => return None,
        };
        // Descriptions are sometimes HTML; keep their text only.
        let plain =
            if raw.contains('<') { super::html_tokens::parse_document(&raw).root().text().to_string() } else { raw };
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        (!plain.is_empty()).then_some(plain)
    };
    let offer = match product.get("offers") {
        Some(Value::Array(offers)) => offers.first(),
        other => other,
    };
    let mut lines = Vec::new();
    if let Some(name) = text(product.get("name")) {
        lines.push(format!("# {name}"));
    }
    let price = text(offer.and_then(|o| o.get("price").or_else(|| o.get("lowPrice"))));
    if let Some(price) = price {
        let currency = text(offer.and_then(|o| o.get("priceCurrency"))).unwrap_or_default();
        lines.push(format!("Price: {price} {currency}").trim_end().to_string());
    }
    if let Some(brand) = text(product.get("brand")) {
        lines.push(format!("Brand: {brand}"));
    }
    if let Some(description) = text(product.get("description")) {
        lines.push(description);
    }
    lines.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_found_in_graphs_and_arrays_and_written_as_markdown() {
        let html = r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},
            {"@type":["Product","Thing"],"name":"Tide Boots","brand":{"@type":"Brand","name":"Shore"},
             "description":"<p>Grippy <b>soles</b> for wet rock.</p>",
             "offers":[{"@type":"Offer","price":"49.00","priceCurrency":"EUR"}]}]}</script>
            <script type="application/ld+json">not json</script>"#;
        let document = dom_query::Document::from(html);
        let products = products(&blocks(&super::super::parse::Landmarks::find(&document).json_ld));
        assert_eq!(products.len(), 1);
        assert_eq!(
            product_markdown(&products[0]),
            "# Tide Boots\n\nPrice: 49.00 EUR\n\nBrand: Shore\n\nGrippy soles for wet rock."
        );
    }
}
