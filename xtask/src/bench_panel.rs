//! `cargo xtask bench panel`: the side panel's time to interactive, click-to-request latency over the Readability pages, and streamed-answer render cost.
//!
//! Time to interactive comes from `xtask/bench_panel.mjs` (the method `bench
//! size` uses); the rest from `xtask/bench_panel_stream.mjs`, which prints
//! JSON. `PAGEWISE_DIST` (an unpacked Chrome extension folder) skips the build.

use crate::bench::percentile;
use crate::project_root;
use crate::toolchain::{ensure_chromium, ensure_npm_packages};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The streamed render may cost at most this many times a single render of the final text.
const RENDER_RATIO_TARGET: f64 = 2.0;
/// No main-thread task (here: no single delta) may take longer.
const LONG_TASK_MS: f64 = 50.0;

/// Runs the benchmark and prints its tables.
pub fn panel() -> Result<(), String> {
    let chrome = match std::env::var_os("PAGEWISE_DIST").filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => crate::dist::dist()?.join("chrome"),
    };
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;
    eprintln!("timing 10 cold panel opens...");
    let tti = run_node("bench_panel.mjs", &chrome, &chromium.browser)?;
    let opens = numbers(&tti["samples"]);
    eprintln!("timing click-to-request over the Readability pages and the streamed render (a few minutes)...");
    let report = run_node("bench_panel_stream.mjs", &chrome, &chromium.browser)?;

    println!("Side panel, headless Chromium {}\n", report["chromium"].as_str().unwrap_or("?"));
    println!("| measure | median | spread | target | verdict |");
    println!("|---|---:|---:|---:|---|");
    if let (Some(first), Some(last)) = (opens.first(), opens.last()) {
        println!(
            "| panel time to interactive, {} cold opens (navigation to composer enabled) | {:.0} ms | min {first:.0} / max {last:.0} ms | | |",
            opens.len(),
            percentile(&opens, 0.5)
        );
    }
    let latency = &report["latency"];
    let results = latency["results"].as_array().cloned().unwrap_or_default();
    let mut clicks: Vec<f64> = results.iter().filter_map(|r| r["ms"].as_f64()).collect();
    clicks.sort_by(f64::total_cmp);
    if !clicks.is_empty() {
        println!(
            "| click \"Summarize page\" to first request byte at the model server, {} of {} Readability pages | {:.0} ms | p95 {:.0} / max {:.0} ms | | |",
            clicks.len(),
            latency["pages"],
            percentile(&clicks, 0.5),
            percentile(&clicks, 0.95),
            clicks[clicks.len() - 1]
        );
    }

    let render = &report["render"];
    let mode = |name: &str, key: &str| -> f64 {
        let mut values = numbers_of(&render["runs"][name], key);
        values.sort_by(f64::total_cmp);
        if values.is_empty() {
            f64::NAN
        } else {
            percentile(&values, 0.5)
        }
    };
    let once_ms = mode("once", "total_ms");
    println!(
        "\nStreamed answer render: {} tokens ({} chars of Markdown: headings, paragraphs, lists, tables, code), one token \
         per delta, median of {} runs per mode\n",
        render["tokens"],
        render["chars"],
        render["runs"]["once"].as_array().map_or(0, Vec::len)
    );
    println!(
        "| measure | panel (`FramedMarkdown`: one render per frame) | every delta (`LiveMarkdown`) | naive (re-render \
         all per delta) | once (final text) |"
    );
    println!("|---|---:|---:|---:|---:|");
    let row = |label: &str, key: &str| {
        let cells: Vec<String> = ["framed", "incremental", "naive", "once"]
            .iter()
            .map(|name| format!("{:.1} ms", mode(name, key)))
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    };
    row("main-thread time in wasm + DOM calls (sum of deltas)", "total_ms");
    row("wall time including one forced layout at the end", "wall_ms");
    row("longest single delta", "longest_delta_ms");
    let ratio = |name: &str| mode(name, "total_ms") / once_ms;
    let verdict = |ok: bool| if ok { "ok" } else { "OVER" };
    println!(
        "| of which: handing tokens over (JS to wasm, one call per token) / rendering | {:.1} / {:.1} ms | | | |",
        mode("framed", "push_ms"),
        mode("framed", "render_ms")
    );
    println!(
        "| renders | {:.0} | {:.0} | {:.0} | 1 |",
        mode("framed", "renders"),
        mode("incremental", "deltas"),
        mode("naive", "deltas")
    );
    println!(
        "| ratio to once (target ≤ {RENDER_RATIO_TARGET:.0}) | {:.1}x {} | {:.1}x {} | {:.1}x {} | 1.0x |",
        ratio("framed"),
        verdict(ratio("framed") <= RENDER_RATIO_TARGET),
        ratio("incremental"),
        verdict(ratio("incremental") <= RENDER_RATIO_TARGET),
        ratio("naive"),
        verdict(ratio("naive") <= RENDER_RATIO_TARGET)
    );
    let longest = |name: &str| mode(name, "longest_delta_ms");
    println!(
        "| no delta over {LONG_TASK_MS:.0} ms | {} | {} | {} | {} |",
        verdict(longest("framed") <= LONG_TASK_MS),
        verdict(longest("incremental") <= LONG_TASK_MS),
        verdict(longest("naive") <= LONG_TASK_MS),
        verdict(longest("once") <= LONG_TASK_MS)
    );
    println!(
        "\nClick-to-request covers the page capture (scripting.executeScript of the whole DOM), the Rust extraction, \
         prompt building and the fetch start; the click time is the panel's Date.now() just before `click()`, the \
         request time the server's Date.now() when the request head arrives (one wall clock)."
    );
    println!(
        "The panel column is the path the panel takes: one token per task (MessageChannel, as fast as the page \
         takes them) into `FramedMarkdown`, which renders once per animation frame; its time is the pushes plus the \
         renders, its longest entry the longest push or render. The other columns are one `bench_render_stream` \
         call per run (the whole stream in one task), so their longest delta stands in for the longest task."
    );
    if let Some(failures) = latency["failures"].as_array().filter(|f| !f.is_empty()) {
        println!("\nNot measured ({}):", failures.len());
        for failure in failures {
            println!(
                "- {}: {}",
                failure["page"].as_str().unwrap_or("?"),
                failure["error"].as_str().unwrap_or("?").replace('\n', " ")
            );
        }
    }
    Ok(())
}

/// Runs one `xtask/*.mjs` helper against the extension in `chrome` and parses the JSON it prints.
fn run_node(script: &str, chrome: &Path, browser: &Path) -> Result<Value, String> {
    let output = Command::new("node")
        .arg(project_root().join("xtask").join(script))
        .env("PAGEWISE_DIST", chrome)
        .env("PAGEWISE_CHROMIUM", browser)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err(format!("{script} failed (see above)"));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("{script} printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}

/// The numbers in a JSON array, ascending.
fn numbers(value: &Value) -> Vec<f64> {
    let mut values: Vec<f64> = value.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
    values.sort_by(f64::total_cmp);
    values
}

/// Field `key` of each object in a JSON array.
fn numbers_of(value: &Value, key: &str) -> Vec<f64> {
    value.as_array().into_iter().flatten().filter_map(|item| item[key].as_f64()).collect()
}
