//! `cargo xtask bench extract`: WCXB word F1 per page type, snippet hit rates, time and memory, beside the published baselines.

use crate::allocation::{peak, reset_peak};
use crate::extraction_score::{fold, snippets_found, word_f1};
use crate::project_root;
use flate2::read::GzDecoder;
use pagewise::extract::extract;
use pagewise::page::PageSnapshot;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

/// Page types in the order the published tables use.
const PAGE_TYPES: [&str; 7] = ["article", "documentation", "service", "forum", "collection", "listing", "product"];

/// Published dev-split word F1 (shared/design/extraction.md): overall, then by `PAGE_TYPES`.
const BASELINES: &[(&str, f64, [f64; 7])] = &[
    ("rs-trafilatura", 0.859, [0.932, 0.932, 0.844, 0.808, 0.716, 0.707, 0.641]),
    ("trafilatura 2.0", 0.791, [0.926, 0.888, 0.763, 0.585, 0.553, 0.589, 0.567]),
    ("dom_smoothie", 0.762, [0.908, 0.868, 0.714, 0.530, 0.504, 0.596, 0.502]),
    ("Readability", 0.675, [0.825, 0.736, 0.604, 0.466, 0.445, 0.496, 0.407]),
];

/// The target: overall F1, and per type defuddle's dev score as the floor.
const TARGET_OVERALL: f64 = 0.87;
const FLOORS: [f64; 7] = [0.930, 0.931, 0.748, 0.654, 0.589, 0.577, 0.611];

fn corpus_dir() -> PathBuf {
    std::env::var_os("PAGEWISE_WCXB")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("../shared/corpus/wcxb-dev"))
}

#[derive(Default)]
struct Tally {
    pages: usize,
    f1: f64,
    with_found: usize,
    with_total: usize,
    without_absent: usize,
    without_total: usize,
}

impl Tally {
    fn mean(&self) -> f64 {
        if self.pages == 0 {
            0.0
        } else {
            self.f1 / self.pages as f64
        }
    }
}

/// Runs the benchmark and prints its tables.
pub fn extract_bench() -> Result<(), String> {
    let corpus = corpus_dir();
    let truth_dir = corpus.join("ground-truth");
    let mut ids: Vec<String> = std::fs::read_dir(&truth_dir)
        .map_err(|e| format!("cannot read {} ({e}); set PAGEWISE_WCXB to the WCXB dev folder", truth_dir.display()))?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str().and_then(|n| n.strip_suffix(".json")).map(String::from))
        .collect();
    ids.sort();
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let mut overall = Tally::default();
    let mut millis = Vec::new();
    let mut peak_bytes = 0usize;
    let mut skipped = Vec::new();
    for id in &ids {
        let truth: serde_json::Value = std::fs::read_to_string(truth_dir.join(format!("{id}.json")))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .ok_or_else(|| format!("ground truth {id} is unreadable"))?;
        let ground = &truth["ground_truth"];
        let Some(reference) = ground["main_content"].as_str() else {
            skipped.push(id.clone());
            continue;
        };
        let page_type = truth["_internal"]["page_type"]["primary"].as_str().unwrap_or("unknown").to_string();
        let html = read_gz(&corpus.join(format!("html/{id}.html.gz")))?;
        let snapshot = PageSnapshot {
            url: truth["url"].as_str().unwrap_or_default().to_string(),
            html: String::from_utf8_lossy(&html).into_owned(),
            ..PageSnapshot::default()
        };
        let baseline = reset_peak();
        let started = Instant::now();
        let article = extract(&snapshot);
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
        peak_bytes = peak_bytes.max(peak().saturating_sub(baseline));
        let f1 = word_f1(&article.markdown, reference);
        let folded = fold(&article.markdown);
        let strings = |key: &str| -> Vec<String> {
            ground[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect()
        };
        let (with, without) = (strings("with"), strings("without"));
        let with_found = snippets_found(&folded, &with);
        let without_found = snippets_found(&folded, &without);
        for tally in [by_type.entry(page_type).or_default(), &mut overall] {
            tally.pages += 1;
            tally.f1 += f1;
            tally.with_found += with_found;
            tally.with_total += with.len();
            tally.without_absent += without.len() - without_found;
            tally.without_total += without.len();
        }
    }
    print_tables(&by_type, &overall, &mut millis, peak_bytes, &skipped);
    Ok(())
}

fn read_gz(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    GzDecoder::new(file).read_to_end(&mut bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(bytes)
}

fn print_tables(
    by_type: &BTreeMap<String, Tally>,
    overall: &Tally,
    millis: &mut [f64],
    peak_bytes: usize,
    skipped: &[String],
) {
    println!("WCXB dev word F1 ({} pages; skipped without main_content: {})\n", overall.pages, skipped.join(", "));
    let header: Vec<&str> = PAGE_TYPES.iter().map(|t| &t[..t.len().min(6)]).collect();
    println!("| system | overall | {} |", header.join(" | "));
    println!("|---|---:|{}", "---:|".repeat(PAGE_TYPES.len()));
    let ours: Vec<String> = PAGE_TYPES
        .iter()
        .map(|t| by_type.get(*t).map(|tally| format!("{:.3}", tally.mean())).unwrap_or_else(|| "-".into()))
        .collect();
    println!("| **Pagewise** | **{:.3}** | {} |", overall.mean(), ours.join(" | "));
    for (name, total, types) in BASELINES {
        let cells: Vec<String> = types.iter().map(|f| format!("{f:.3}")).collect();
        println!("| {name} (published) | {total:.3} | {} |", cells.join(" | "));
    }
    let floors: Vec<String> = FLOORS.iter().map(|f| format!("{f:.3}")).collect();
    println!("| target / floor (defuddle) | {TARGET_OVERALL:.3} | {} |", floors.join(" | "));
    let rate = |found: usize, total: usize| {
        if total == 0 {
            0.0
        } else {
            found as f64 / total as f64
        }
    };
    millis.sort_by(f64::total_cmp);
    let at = |fraction: f64| {
        millis.get(((millis.len().saturating_sub(1)) as f64 * fraction).round() as usize).copied().unwrap_or(0.0)
    };
    println!("\n| measure | value |\n|---|---:|");
    println!("| `with` snippets found | {:.3} |", rate(overall.with_found, overall.with_total));
    println!("| `without` snippets absent | {:.3} |", rate(overall.without_absent, overall.without_total));
    println!("| native ms per page, median / p95 | {:.2} / {:.2} |", at(0.5), at(0.95));
    println!("| peak heap growth during one extraction | {:.1} MiB |", peak_bytes as f64 / (1024.0 * 1024.0));
}
