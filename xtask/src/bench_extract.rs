//! `cargo xtask bench extract`: WCXB word F1 per page type, snippet hit rates, time and memory, beside the published baselines; then the in-browser speed race.
//!
//! The race (`xtask/bench_extract_browser.mjs`) runs the shipped wasm's
//! `extract_page` and Readability.js + Turndown on the same live DOM in
//! headless Chromium. `--no-browser` (or `PAGEWISE_BENCH_NO_BROWSER=1`)
//! skips it. `--worst N` lists the N lowest-scoring pages (of one type with
//! `--type TYPE`) with their precision and recall, and `--dump DIR` writes
//! their Markdown and reference text there for reading.

use crate::allocation::{peak, reset_peak};
use crate::bench::percentile;
use crate::extraction_score::{fold, snippets_found, word_scores, WordScores};
use crate::project_root;
use flate2::read::GzDecoder;
use pagewise::extract::extract;
use pagewise::extract::html_tokens::parse_document;
use pagewise::page::PageSnapshot;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
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
    /// Pages whose page-type guess matched the label.
    type_guessed: usize,
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

/// In the browser, Pagewise must beat Readability.js + Turndown by this factor (ratio of medians).
const BROWSER_SPEEDUP_TARGET: f64 = 5.0;

/// What `cargo xtask bench extract` was asked for.
struct BenchOptions {
    browser: bool,
    /// List the worst pages of this type only.
    page_type: Option<String>,
    /// How many of the worst pages to list (none unless asked).
    worst: usize,
    /// Where to write the listed pages' Markdown and reference text.
    dump: Option<PathBuf>,
}

const USAGE: &str = "usage: cargo xtask bench extract [--no-browser] [--type TYPE] [--worst N] [--dump DIR]";

fn bench_options(args: &[String]) -> Result<BenchOptions, String> {
    let mut options = BenchOptions {
        browser: std::env::var_os("PAGEWISE_BENCH_NO_BROWSER").is_none_or(|value| value.is_empty() || value == "0"),
        page_type: None,
        worst: 0,
        dump: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or_else(|| USAGE.to_string());
        match arg.as_str() {
            "--no-browser" => options.browser = false,
            "--type" => options.page_type = Some(value()?),
            "--worst" => options.worst = value()?.parse().map_err(|_| USAGE.to_string())?,
            "--dump" => options.dump = Some(PathBuf::from(value()?)),
            _ => return Err(USAGE.into()),
        }
    }
    if options.worst == 0 && (options.page_type.is_some() || options.dump.is_some()) {
        options.worst = DEFAULT_WORST;
    }
    Ok(options)
}

/// Pages listed by `--type` or `--dump` without `--worst`.
const DEFAULT_WORST: usize = 20;

/// One page's scores, kept for the worst-pages list.
struct PageScore {
    id: String,
    page_type: String,
    url: String,
    /// The content root chosen, and the page type guessed.
    root: String,
    guessed: String,
    scores: WordScores,
    markdown: String,
    reference: String,
}

/// Runs the benchmark and prints its tables.
pub fn extract_bench(args: &[String]) -> Result<(), String> {
    let options = bench_options(args)?;
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
    let mut pages: Vec<PageScore> = Vec::new();
    let mut parse = ParseRace::default();
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
        parse.run(&snapshot.html);
        let scores = word_scores(&article.markdown, reference);
        let f1 = scores.f1;
        let folded = fold(&article.markdown);
        let strings = |key: &str| -> Vec<String> {
            ground[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect()
        };
        let (with, without) = (strings("with"), strings("without"));
        let guessed = serde_json::to_value(article.page_type).ok().and_then(|v| v.as_str().map(String::from));
        let type_guessed = usize::from(guessed.as_deref() == Some(page_type.as_str()));
        let with_found = snippets_found(&folded, &with);
        let without_found = snippets_found(&folded, &without);
        for tally in [by_type.entry(page_type.clone()).or_default(), &mut overall] {
            tally.pages += 1;
            tally.f1 += f1;
            tally.with_found += with_found;
            tally.with_total += with.len();
            tally.without_absent += without.len() - without_found;
            tally.without_total += without.len();
            tally.type_guessed += type_guessed;
        }
        if options.worst > 0 && options.page_type.as_ref().is_none_or(|wanted| *wanted == page_type) {
            let (url, root, guessed) = (snapshot.url, article.root, guessed.unwrap_or_default());
            let (markdown, reference) = (article.markdown, reference.to_string());
            pages.push(PageScore { id: id.clone(), page_type, url, root, guessed, scores, markdown, reference });
        }
    }
    print_tables(&by_type, &overall, &mut millis, peak_bytes, &skipped);
    parse.print();
    if options.worst > 0 {
        print_worst(&mut pages, &options)?;
    }
    if options.browser {
        browser_race(&corpus)?;
    }
    Ok(())
}

/// The HTML parse alone, html5ever's tokenizer against Pagewise's (both
/// with html5ever's tree builder), and whether they build the same tree.
#[derive(Default)]
struct ParseRace {
    html5ever_millis: Vec<f64>,
    pagewise_millis: Vec<f64>,
    identical: usize,
    pages: usize,
}

impl ParseRace {
    fn run(&mut self, html: &str) {
        let started = Instant::now();
        let reference = dom_query::Document::from(html);
        self.html5ever_millis.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let ours = parse_document(html);
        self.pagewise_millis.push(started.elapsed().as_secs_f64() * 1000.0);
        self.identical += usize::from(reference.html() == ours.html());
        self.pages += 1;
    }

    fn print(&mut self) {
        for (label, millis) in [
            ("HTML parse, html5ever's tokenizer, ms median / p95", &mut self.html5ever_millis),
            ("HTML parse, Pagewise's tokenizer (html5ever's tree builder), ms median / p95", &mut self.pagewise_millis),
        ] {
            millis.sort_by(f64::total_cmp);
            let at = |fraction| if millis.is_empty() { f64::NAN } else { percentile(millis, fraction) };
            println!("| {label} | {:.2} / {:.2} |", at(0.5), at(0.95));
        }
        println!("| parse trees identical to html5ever's | {} of {} |", self.identical, self.pages);
    }
}

/// Lists the lowest-scoring pages, and writes them out with `--dump`.
fn print_worst(pages: &mut [PageScore], options: &BenchOptions) -> Result<(), String> {
    pages.sort_by(|a, b| a.scores.f1.total_cmp(&b.scores.f1));
    let which = options.page_type.as_deref().unwrap_or("all");
    println!("\nWorst {} pages ({which}):\n", options.worst.min(pages.len()));
    println!("| id | type (guessed) | root | F1 | precision | recall | words out / ref | url |");
    println!("|---|---|---|---:|---:|---:|---:|---|");
    if let Some(dir) = &options.dump {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    for page in pages.iter().take(options.worst) {
        let words = |text: &str| crate::extraction_score::word_tokens(text).len();
        println!(
            "| {} | {} ({}) | {} | {:.3} | {:.3} | {:.3} | {} / {} | {} |",
            page.id,
            page.page_type,
            page.guessed,
            page.root,
            page.scores.f1,
            page.scores.precision,
            page.scores.recall,
            words(&page.markdown),
            words(&page.reference),
            page.url
        );
        if let Some(dir) = &options.dump {
            for (suffix, text) in [("md", &page.markdown), ("truth.txt", &page.reference)] {
                let path = dir.join(format!("{}.{suffix}", page.id));
                std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
    }
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
    let by_type_guess: Vec<String> = PAGE_TYPES
        .iter()
        .filter_map(|t| {
            by_type
                .get(*t)
                .map(|tally| format!("{} {:.2}", &t[..t.len().min(6)], rate(tally.type_guessed, tally.pages)))
        })
        .collect();
    println!(
        "| page type guessed right | {:.3} ({}) |",
        rate(overall.type_guessed, overall.pages),
        by_type_guess.join(", ")
    );
    println!("| `without` snippets absent | {:.3} |", rate(overall.without_absent, overall.without_total));
    println!("| native ms per page, median / p95 | {:.2} / {:.2} |", at(0.5), at(0.95));
    println!("| peak heap growth during one extraction | {:.1} MiB |", peak_bytes as f64 / (1024.0 * 1024.0));
}

/// Builds `dist/` and runs `xtask/bench_extract_browser.mjs`, then prints its table.
fn browser_race(corpus: &std::path::Path) -> Result<(), String> {
    let chrome = crate::dist::dist()?.join("chrome");
    crate::toolchain::ensure_npm_packages()?;
    let chromium = crate::toolchain::ensure_chromium()?;
    let wasm = chrome.join("pagewise_bg.wasm");
    eprintln!("timing extraction in Chromium (every 10th WCXB page; about two minutes)...");
    let output = Command::new("node")
        .arg(project_root().join("xtask/bench_extract_browser.mjs"))
        .env("PAGEWISE_DIST", &chrome)
        .env("PAGEWISE_CHROMIUM", &chromium.browser)
        .env("PAGEWISE_WCXB", corpus)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err("the in-browser extraction race failed (see above)".into());
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the browser race printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))?;
    let pages = report["pages"].as_array().cloned().unwrap_or_default();
    let column = |key: &str| -> Vec<f64> {
        let mut values: Vec<f64> = pages.iter().filter_map(|page| page[key].as_f64()).collect();
        values.sort_by(f64::total_cmp);
        values
    };
    let stat = |values: &[f64], fraction: f64| if values.is_empty() { f64::NAN } else { percentile(values, fraction) };
    let (ours, theirs) = (column("pagewise"), column("readabilityTurndown"));
    println!(
        "\nIn the browser, live DOM to Markdown: headless Chromium {}, {} WCXB dev pages (every {}th), \
         median of {} runs per page after {} warm-up runs of each; wasm {:.1} KiB gzip\n",
        report["chromium"].as_str().unwrap_or("?"),
        pages.len(),
        report["stride"],
        report["runs"],
        report["warmup"],
        crate::bench::gzip_len(&wasm)? as f64 / 1024.0
    );
    println!("| system | median ms | p95 ms |\n|---|---:|---:|");
    let rows = [
        ("**Pagewise**: `outerHTML` + wasm `extract_page`, Markdown in JS", "pagewise"),
        ("Readability.js + Turndown: clone, `parse()`, `turndown()`", "readabilityTurndown"),
        ("Readability.js alone: clone + `parse()`", "readability"),
        ("Pagewise wasm alone: `extract_page` (snapshot in, `Article` out)", "wasm"),
        ("`document.documentElement.outerHTML` alone", "outerHtml"),
    ];
    for (label, key) in rows {
        let values = column(key);
        println!("| {label} | {:.2} | {:.2} |", stat(&values, 0.5), stat(&values, 0.95));
    }
    let node = column("node");
    println!(
        "| the same wasm in node {} (same `outerHTML`, no browser) | {:.2} | {:.2} |",
        report["node"].as_str().unwrap_or("?"),
        stat(&node, 0.5),
        stat(&node, 0.95)
    );
    let ratio = stat(&theirs, 0.5) / stat(&ours, 0.5);
    let mut per_page: Vec<f64> = pages
        .iter()
        .filter_map(|page| Some(page["readabilityTurndown"].as_f64()? / page["pagewise"].as_f64()?))
        .collect();
    per_page.sort_by(f64::total_cmp);
    let verdict = if ratio >= BROWSER_SPEEDUP_TARGET { "met" } else { "NOT met" };
    println!(
        "\nReadability.js + Turndown / Pagewise, ratio of medians: **{ratio:.2}x** (target at least \
         {BROWSER_SPEEDUP_TARGET:.0}x: {verdict}); median of per-page ratios {:.2}x; Pagewise faster on {} of {} pages.",
        stat(&per_page, 0.5),
        per_page.iter().filter(|r| **r > 1.0).count(),
        per_page.len()
    );
    let empty = pages.iter().filter(|page| page["readabilityFound"] == false).count();
    println!("Readability.js found no article on {empty} of {} pages (timed all the same).", pages.len());
    if let Some(failures) = report["failures"].as_array().filter(|f| !f.is_empty()) {
        println!("Not measured: {}", serde_json::to_string(failures).unwrap_or_default());
    }
    Ok(())
}
