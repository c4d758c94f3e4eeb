//! `cargo xtask bench`: the dispatcher, and `bench size`: artifact sizes against their budget and the panel's time to interactive.

use crate::dist::dist;
use crate::project_root;
use crate::toolchain::{ensure_chromium, ensure_npm_packages};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The panel's wasm budget, gzipped: the shell, settings, provider and
/// stream layers fit in about 115 KiB; the extractor (html5ever, dom_query,
/// the Markdown writer) may add up to 400 KB (issue 3), built at opt-level 3
/// for speed (see Cargo.toml). One module serves panel, options and worker.
const PANEL_WASM_GZIP_BUDGET: u64 = 115 * 1024 + 400_000;

/// Dispatches `cargo xtask bench <suite>`.
pub fn bench(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("size") => size(),
        Some("stream" | "extract" | "tokens") if cfg!(debug_assertions) => rerun_optimized(args),
        Some("stream") => crate::bench_stream::stream(),
        Some("extract") => crate::bench_extract::extract_bench(&args[1..]),
        Some("panel") => crate::bench_panel::panel(),
        Some("long") => crate::bench_long::long(),
        Some("tokens") => crate::bench_tokens::tokens(&args[1..]),
        _ => Err("usage: cargo xtask bench size|panel|stream|extract [--no-browser] [--type T] [--worst N] [--dump DIR]|tokens [--dump DIR]".into()),
    }
}

/// Timing the core in a debug build measures the debug build; benchmarks
/// that run Rust code in-process re-run xtask with optimizations.
fn rerun_optimized(args: &[String]) -> Result<(), String> {
    let mut command = vec!["run", "--release", "--quiet", "--package", "xtask", "--", "bench"];
    command.extend(args.iter().map(String::as_str));
    crate::command::run(&project_root(), "cargo", &command)
}

fn size() -> Result<(), String> {
    let dist_dir = dist()?;
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;
    let chrome = dist_dir.join("chrome");
    let wasm = chrome.join("pagewise_bg.wasm");
    let wasm_gzip = gzip_len(&wasm)?;

    let root = project_root();
    let output = Command::new("node")
        .arg(root.join("xtask/bench_panel.mjs"))
        .env("PAGEWISE_DIST", &chrome)
        .env("PAGEWISE_CHROMIUM", &chromium.browser)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err(format!("panel timing failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("panel timing printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))?;
    let mut samples: Vec<f64> = report["samples"].as_array().into_iter().flatten().filter_map(|v| v.as_f64()).collect();
    samples.sort_by(f64::total_cmp);

    println!("| artifact | raw | gzip | budget | verdict |");
    println!("|---|---:|---:|---:|---|");
    let verdict = if wasm_gzip <= PANEL_WASM_GZIP_BUDGET { "within" } else { "OVER" };
    println!(
        "| pagewise_bg.wasm (panel, options, worker) | {} | {} | {} gzip | {verdict} |",
        kib(file_len(&wasm)?),
        kib(wasm_gzip),
        kib(PANEL_WASM_GZIP_BUDGET)
    );
    let glue = chrome.join("pagewise.js");
    println!("| pagewise.js (wasm-bindgen glue) | {} | {} | | |", kib(file_len(&glue)?), kib(gzip_len(&glue)?));
    for browser in crate::dist::BROWSERS {
        let zip = dist_dir.join(format!("pagewise-{browser}.zip"));
        println!("| pagewise-{browser}.zip | {} | | | |", kib(file_len(&zip)?));
    }
    println!();
    println!("| panel time to interactive (cold open, navigation to composer enabled) | value |");
    println!("|---|---:|");
    if let (Some(first), Some(last)) = (samples.first(), samples.last()) {
        println!("| median of {} | {:.0} ms |", samples.len(), percentile(&samples, 0.5));
        println!("| min / max | {first:.0} ms / {last:.0} ms |");
    }
    println!(
        "\nNo peer is measured here: the peers' extensions are not in the package registries this machine reaches."
    );
    if wasm_gzip > PANEL_WASM_GZIP_BUDGET {
        return Err(format!(
            "panel wasm is {} gzipped, over its {} budget",
            kib(wasm_gzip),
            kib(PANEL_WASM_GZIP_BUDGET)
        ));
    }
    Ok(())
}

/// The value at `fraction` (0 to 1) of an ascending, non-empty slice.
pub fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index]
}

fn file_len(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path).map(|m| m.len()).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub fn gzip_len(path: &Path) -> Result<u64, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(encoder.finish().map_err(|e| e.to_string())?.len() as u64)
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}
