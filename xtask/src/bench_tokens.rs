//! `cargo xtask bench tokens`: `budget::estimate_tokens` against real BPE tokenizers (cl100k_base, o200k_base) on the corpus pages' extracted Markdown: ratio spread, underestimates, speed.
//!
//! Pages: every WCXB dev page (`../shared/corpus/wcxb-dev`, or
//! `PAGEWISE_WCXB`) and every Readability test page
//! (`../shared/corpus/readability-pages`, or `PAGEWISE_READABILITY`), the
//! latter for their Chinese and Japanese pages: WCXB has none. Each page is
//! extracted with `pagewise::extract::extract` to Markdown and grouped by the
//! script of its letters. `--dump DIR` also writes each page's Markdown and a
//! `counts.tsv` (estimate and both tokenizers' counts) for recalibrating.

use crate::bench::percentile;
use crate::project_root;
use flate2::read::GzDecoder;
use pagewise::budget::{estimate_tokens, is_cjk};
use pagewise::extract::extract;
use pagewise::page::PageSnapshot;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tiktoken_rs::CoreBPE;

/// An estimate below the real count by more than this share may not fit.
const UNDERESTIMATE_TOLERANCE: f64 = 0.05;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// At least 90% of the letters are Latin (ASCII or Latin-1 to Latin Extended-B).
    Latin,
    /// Han, kana or Hangul are most of the letters.
    Cjk,
    /// Everything else: Cyrillic, Greek, Arabic, mixed pages.
    Other,
}

struct Page {
    id: String,
    script: Script,
    markdown: String,
    estimate: usize,
    estimate_seconds: f64,
    /// Tokens and seconds, per tokenizer in `TOKENIZERS` order.
    actual: Vec<(usize, f64)>,
}

const TOKENIZERS: [&str; 2] = ["cl100k_base", "o200k_base"];

/// Runs the benchmark and prints its table.
pub fn tokens(args: &[String]) -> Result<(), String> {
    let dump = match args {
        [] => None,
        [flag, dir] if flag == "--dump" => Some(PathBuf::from(dir)),
        _ => return Err("usage: cargo xtask bench tokens [--dump DIR]".into()),
    };
    let tokenizers: Vec<CoreBPE> = vec![
        tiktoken_rs::cl100k_base().map_err(|e| format!("cl100k_base: {e}"))?,
        tiktoken_rs::o200k_base().map_err(|e| format!("o200k_base: {e}"))?,
    ];
    let mut pages = Vec::new();
    let mut empty = 0usize;
    for (id, snapshot) in wcxb_snapshots()?.into_iter().chain(readability_snapshots()?) {
        let markdown = extract(&snapshot).markdown;
        if markdown.trim().is_empty() {
            empty += 1;
            continue;
        }
        pages.push(measure(id, markdown, &tokenizers));
    }
    if let Some(dir) = dump {
        write_dump(&dir, &pages)?;
    }
    print_table(&pages, empty);
    Ok(())
}

fn measure(id: String, markdown: String, tokenizers: &[CoreBPE]) -> Page {
    // The estimator takes microseconds: repeat it so the clock resolves it.
    const REPEATS: u32 = 20;
    let started = Instant::now();
    let mut estimate = 0;
    for _ in 0..REPEATS {
        estimate = std::hint::black_box(estimate_tokens(std::hint::black_box(&markdown)));
    }
    let estimate_seconds = started.elapsed().as_secs_f64() / f64::from(REPEATS);
    let actual = tokenizers
        .iter()
        .map(|bpe| {
            let started = Instant::now();
            let count = bpe.encode_ordinary(&markdown).len();
            (count, started.elapsed().as_secs_f64())
        })
        .collect();
    Page { id, script: script_of(&markdown), markdown, estimate, estimate_seconds, actual }
}

fn script_of(text: &str) -> Script {
    let (mut cjk, mut latin, mut letters) = (0usize, 0usize, 0usize);
    for character in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_cjk(character) {
            cjk += 1;
        } else if character.is_ascii() || ('\u{C0}'..='\u{24F}').contains(&character) {
            latin += 1;
        }
    }
    if cjk * 2 > letters {
        Script::Cjk
    } else if latin * 10 >= letters * 9 {
        Script::Latin
    } else {
        Script::Other
    }
}

fn wcxb_dir() -> PathBuf {
    std::env::var_os("PAGEWISE_WCXB")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("../shared/corpus/wcxb-dev"))
}

fn readability_dir() -> PathBuf {
    std::env::var_os("PAGEWISE_READABILITY")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("../shared/corpus/readability-pages"))
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {} ({e})", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    Ok(entries)
}

fn wcxb_snapshots() -> Result<Vec<(String, PageSnapshot)>, String> {
    let corpus = wcxb_dir();
    let mut snapshots = Vec::new();
    for path in sorted_entries(&corpus.join("html"))? {
        let Some(id) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".html.gz")) else {
            continue;
        };
        let truth: serde_json::Value = std::fs::read_to_string(corpus.join(format!("ground-truth/{id}.json")))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let file = std::fs::File::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let mut html = Vec::new();
        GzDecoder::new(file).read_to_end(&mut html).map_err(|e| format!("{}: {e}", path.display()))?;
        let snapshot = PageSnapshot {
            url: truth["url"].as_str().unwrap_or_default().to_string(),
            html: String::from_utf8_lossy(&html).into_owned(),
            ..PageSnapshot::default()
        };
        snapshots.push((format!("wcxb-{id}"), snapshot));
    }
    Ok(snapshots)
}

fn readability_snapshots() -> Result<Vec<(String, PageSnapshot)>, String> {
    let mut snapshots = Vec::new();
    for dir in sorted_entries(&readability_dir())? {
        let Ok(html) = std::fs::read(dir.join("source.html")) else {
            continue;
        };
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let snapshot = PageSnapshot {
            url: "http://fakehost/test/page.html".into(),
            html: String::from_utf8_lossy(&html).into_owned(),
            ..PageSnapshot::default()
        };
        snapshots.push((format!("readability-{name}"), snapshot));
    }
    Ok(snapshots)
}

fn write_dump(dir: &Path, pages: &[Page]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut tsv = String::from("id\tscript\tbytes\testimate\tcl100k_base\to200k_base\n");
    for page in pages {
        let script = match page.script {
            Script::Latin => "latin",
            Script::Cjk => "cjk",
            Script::Other => "other",
        };
        tsv.push_str(&format!(
            "{}\t{script}\t{}\t{}\t{}\t{}\n",
            page.id,
            page.markdown.len(),
            page.estimate,
            page.actual[0].0,
            page.actual[1].0
        ));
        let path = dir.join(format!("{}.md", page.id));
        std::fs::write(&path, &page.markdown).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let path = dir.join("counts.tsv");
    std::fs::write(&path, tsv).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn print_table(pages: &[Page], empty: usize) {
    println!(
        "`budget::estimate_tokens` against real tokenizers, on extracted Markdown: {} pages \
         (WCXB dev and Readability; {empty} with no Markdown skipped). Ratio = estimate / actual; \
         under 1 is an underestimate.\n",
        pages.len()
    );
    println!(
        "| pages | n | tokenizer | median ratio | p5 | p95 | under by >5% | mean abs % error | \
         estimate MB/s | tokenizer MB/s |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    let groups: [(&str, Option<Script>); 4] = [
        ("all", None),
        ("Latin script", Some(Script::Latin)),
        ("CJK-dominant", Some(Script::Cjk)),
        ("other scripts", Some(Script::Other)),
    ];
    for (label, script) in groups {
        let group: Vec<&Page> = pages.iter().filter(|page| script.is_none_or(|s| page.script == s)).collect();
        if group.is_empty() {
            continue;
        }
        let bytes: usize = group.iter().map(|page| page.markdown.len()).sum();
        let megabytes = bytes as f64 / 1e6;
        let estimate_speed = megabytes / group.iter().map(|page| page.estimate_seconds).sum::<f64>();
        for (index, tokenizer) in TOKENIZERS.iter().enumerate() {
            let mut ratios: Vec<f64> =
                group.iter().map(|page| page.estimate as f64 / page.actual[index].0.max(1) as f64).collect();
            ratios.sort_by(f64::total_cmp);
            let under = ratios.iter().filter(|&&ratio| ratio < 1.0 - UNDERESTIMATE_TOLERANCE).count();
            let error = ratios.iter().map(|ratio| (ratio - 1.0).abs()).sum::<f64>() / ratios.len() as f64;
            let tokenizer_speed = megabytes / group.iter().map(|page| page.actual[index].1).sum::<f64>();
            println!(
                "| {label} | {} | {tokenizer} | {:.2} | {:.2} | {:.2} | {:.1}% | {:.1}% | {:.0} | {:.1} |",
                group.len(),
                percentile(&ratios, 0.5),
                percentile(&ratios, 0.05),
                percentile(&ratios, 0.95),
                100.0 * under as f64 / ratios.len() as f64,
                100.0 * error,
                estimate_speed,
                tokenizer_speed,
            );
        }
    }
    println!(
        "\nMB/s is the Markdown's bytes over the summed per-page time, in xtask's release build \
         (pagewise at opt-level \"s\", tiktoken-rs at the workspace's \"z\")."
    );
    let mut cjk: Vec<&Page> = pages.iter().filter(|page| page.script == Script::Cjk).collect();
    cjk.sort_by(|a, b| a.id.cmp(&b.id));
    if !cjk.is_empty() {
        println!("\nCJK-dominant pages: estimate / cl100k_base / o200k_base tokens");
        for page in cjk {
            println!("- {}: {} / {} / {}", page.id, page.estimate, page.actual[0].0, page.actual[1].0);
        }
    }
}
