//! `cargo xtask bench long`: click to first request on generated 100 KiB, 1 MiB and 5 MiB articles (Summarize and a question), how it grows, beside Readability.js + Turndown.
//!
//! The browser side is `xtask/bench_long.mjs`, which prints JSON; this file
//! runs it and prints the tables. `PAGEWISE_DIST` (an unpacked Chrome
//! extension folder) skips the build.

use crate::bench::percentile;
use crate::project_root;
use crate::toolchain::{ensure_chromium, ensure_npm_packages};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The target: click to first request under this for a 1 MiB page.
const ONE_MB_TARGET_MS: f64 = 300.0;
/// Time growing with size to at most this power counts as linear.
const LINEAR_EXPONENT: f64 = 1.15;

/// Runs the benchmark and prints its tables.
pub fn long() -> Result<(), String> {
    let chrome = match std::env::var_os("PAGEWISE_DIST").filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => crate::dist::dist()?.join("chrome"),
    };
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;
    eprintln!("timing click-to-request on 100 KiB, 1 MiB and 5 MiB articles, and the peer (a few minutes)...");
    let output = Command::new("node")
        .arg(project_root().join("xtask/bench_long.mjs"))
        .env("PAGEWISE_DIST", &chrome)
        .env("PAGEWISE_CHROMIUM", &chromium.browser)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err("bench_long.mjs failed (see above)".into());
    }
    let report: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("bench_long.mjs printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))?;
    print_report(&report);
    Ok(())
}

/// Ascending values of field `key` of each object in a JSON array.
fn field(value: &Value, key: &str) -> Vec<f64> {
    let mut values: Vec<f64> = value.as_array().into_iter().flatten().filter_map(|item| item[key].as_f64()).collect();
    values.sort_by(f64::total_cmp);
    values
}

/// Ascending numbers of a JSON array.
fn numbers(value: &Value) -> Vec<f64> {
    let mut values: Vec<f64> = value.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
    values.sort_by(f64::total_cmp);
    values
}

fn median(sorted: &[f64]) -> f64 {
    if sorted.is_empty() {
        f64::NAN
    } else {
        percentile(sorted, 0.5)
    }
}

/// `median (min–max)` of an ascending slice, or a dash.
fn spread(sorted: &[f64]) -> String {
    match (sorted.first(), sorted.last()) {
        (Some(first), Some(last)) => format!("{:.0} ms ({first:.0}–{last:.0})", median(sorted)),
        _ => "–".into(),
    }
}

/// How many of the runs' requests carried the planted fact.
fn fact_sent(runs: &Value) -> String {
    let runs = runs.as_array().cloned().unwrap_or_default();
    let sent = runs.iter().filter(|run| run["factSent"].as_bool() == Some(true)).count();
    match sent {
        0 if runs.is_empty() => "–".into(),
        0 => "no".into(),
        n if n == runs.len() => "yes".into(),
        n => format!("{n} of {}", runs.len()),
    }
}

fn yes_no(value: &Value) -> &'static str {
    match value.as_bool() {
        Some(true) => "yes",
        Some(false) => "no",
        None => "–",
    }
}

fn print_report(report: &Value) {
    let sizes = report["sizes"].as_array().cloned().unwrap_or_default();
    println!(
        "Long pages, headless Chromium {}: context budget {} tokens, median of {} runs (min–max), each in a new chat\n",
        report["chromium"].as_str().unwrap_or("?"),
        report["budgetTokens"],
        report["runs"]
    );
    println!(
        "| page | Summarize click → first request | Send question click → first request | planted fact sent | \
         Pagewise extract alone (outerHTML + extract) | peer Readability.js + Turndown | ratio (Summarize ÷ peer; \
         extract ÷ peer) |"
    );
    println!("|---|---:|---:|:---:|---:|---:|---:|");
    // (MiB, Summarize median, question median) per size, for the growth line.
    let mut growth = Vec::new();
    for size in &sizes {
        let bytes = size["bytes"].as_f64().or_else(|| size["htmlBytes"].as_f64()).unwrap_or(f64::NAN);
        let summarize = field(&size["summarize"], "ms");
        let question = field(&size["question"], "ms");
        let extract = numbers(&size["extract"]["pagewise"]);
        let peer = numbers(&size["extract"]["peer"]);
        println!(
            "| {:.0} KiB ({} sections) | {} | {} | {} | {} | {} | {:.1}x; {:.2}x |",
            bytes / 1024.0,
            size["sections"],
            spread(&summarize),
            spread(&question),
            fact_sent(&size["question"]),
            spread(&extract),
            spread(&peer),
            median(&summarize) / median(&peer),
            median(&extract) / median(&peer)
        );
        growth.push((bytes / (1024.0 * 1024.0), median(&summarize), median(&question)));
    }

    println!("\nWhere the time goes (medians):\n");
    println!(
        "| page | panel capture (executeScript of capture.js) | panel extract_page on it | in page: outerHTML / \
         wasm extract | peer: Readability parse / Turndown | requests per Summarize / question | prompt chars: \
         first Summarize request / question | fact at depth | fact in the Markdown: Pagewise / peer |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|:---:|");
    for size in &sizes {
        let bytes = size["bytes"].as_f64().or_else(|| size["htmlBytes"].as_f64()).unwrap_or(f64::NAN);
        let m = |key: &str| median(&numbers(&size["extract"][key]));
        let peer_parse = m("peerParse");
        println!(
            "| {:.0} KiB | {:.0} ms | {:.0} ms | {:.0} / {:.0} ms | {:.0} / {:.0} ms | {:.0} / {:.0} | {:.0} / {:.0} | \
             {:.0}% (section {}) | {} / {} |",
            bytes / 1024.0,
            m("capture"),
            m("panelExtract"),
            m("outerHtml"),
            m("wasm"),
            peer_parse,
            m("peer") - peer_parse,
            median(&field(&size["summarize"], "requests")),
            median(&field(&size["question"], "requests")),
            median(&field(&size["summarize"], "firstPromptChars")),
            median(&field(&size["question"], "firstPromptChars")),
            size["factDepth"].as_f64().unwrap_or(f64::NAN) * 100.0,
            size["factSection"],
            yes_no(&size["pagewiseHasFact"]),
            yes_no(&size["peerHasFact"])
        );
    }

    println!();
    let near = |mib: f64| {
        growth
            .iter()
            .copied()
            .filter(|g| g.1.is_finite())
            .min_by(|a, b| (a.0 - mib).abs().total_cmp(&(b.0 - mib).abs()))
    };
    if let (Some(one), Some(five)) = (near(1.0), near(5.0)) {
        if five.0 > one.0 {
            for (name, at_one, at_five) in [("Summarize", one.1, five.1), ("question", one.2, five.2)] {
                let per_mb = (at_five - at_one) / (five.0 - one.0);
                let size_ratio = five.0 / one.0;
                let time_ratio = at_five / at_one;
                let exponent = time_ratio.ln() / size_ratio.ln();
                println!(
                    "Growth, {name}: {per_mb:.0} ms per MiB between {:.1} and {:.1} MiB; {:.1} MiB takes {time_ratio:.1}x \
                     the time of {:.1} MiB for {size_ratio:.1}x the size (time ∝ size^{exponent:.2}): {}.",
                    one.0,
                    five.0,
                    five.0,
                    one.0,
                    if exponent <= LINEAR_EXPONENT { "roughly linear" } else { "SUPERLINEAR" }
                );
            }
            let verdict = |ms: f64| if ms < ONE_MB_TARGET_MS { "met" } else { "MISSED" };
            println!(
                "Target: click to first request under {ONE_MB_TARGET_MS:.0} ms for 1 MiB: Summarize {:.0} ms, {}; \
                 question {:.0} ms, {}.",
                one.1,
                verdict(one.1),
                one.2,
                verdict(one.2)
            );
        }
    }
    println!(
        "\nClick → first request: the panel's Date.now() just before `click()` to the fake model server's Date.now() \
         when the earliest request head of that click arrives (one wall clock); it covers the capture, extraction, \
         chunking, retrieval, prompt building and the fetch start. The peer column is the work a Readability-based \
         extension does on the same live DOM before its first request; \"extract alone\" is Pagewise's wasm \
         `extract_page` on `outerHTML` in the same page. \"planted fact sent\": whether a request of the question \
         \"{}\" carried the fact \"{}\".",
        report["question"].as_str().unwrap_or("?"),
        report["fact"].as_str().unwrap_or("?")
    );
    let failures: Vec<String> =
        sizes
            .iter()
            .flat_map(|size| {
                let target = size["target"].clone();
                size["failures"].as_array().cloned().unwrap_or_default().into_iter().map(move |failure| {
                    format!("- {target} bytes: {}", failure.as_str().unwrap_or("?").replace('\n', " "))
                })
            })
            .collect();
    if !failures.is_empty() {
        println!("\nNot measured:\n{}", failures.join("\n"));
    }
}
