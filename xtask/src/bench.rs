//! `cargo xtask bench`: the dispatcher, and `bench size`: artifact sizes against their budget and the panel's time to interactive.

use crate::dist::dist;
use crate::project_root;
use crate::toolchain::{ensure_chromium, ensure_npm_packages};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The extractor's share of the wasm, gzipped (issue 3: at most 400 KB),
/// measured as the difference from a build whose `extract_with` returns
/// the page unread (the `size-probe-without-extractor` feature).
const EXTRACTOR_GZIP_BUDGET: u64 = 400_000;

/// The rest of the wasm, gzipped: the leptos panel, options page and
/// worker, settings, providers, streaming, history and the two languages
/// (about 555 KiB at the end of issue 7; it was 115 KiB before the panel).
const SHELL_WASM_GZIP_BUDGET: u64 = 600 * 1024;

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

    eprintln!("building the size probe (the wasm without the extractor)...");
    let probe_target = root.join("target/size-probe");
    let probe = crate::dist::build_wasm(
        &["--features", "size-probe-without-extractor"],
        &probe_target,
        &probe_target.join("web"),
    )?;
    let shell_gzip = gzip_len(&probe)?;
    let extractor_gzip = wasm_gzip.saturating_sub(shell_gzip);
    let verdict = |size: u64, budget: u64| if size <= budget { "within" } else { "OVER" };

    println!("| artifact | raw | gzip | budget | verdict |");
    println!("|---|---:|---:|---:|---|");
    println!(
        "| pagewise_bg.wasm (panel, options, worker, extractor) | {} | {} | {} gzip | {} |",
        kib(file_len(&wasm)?),
        kib(wasm_gzip),
        kib(SHELL_WASM_GZIP_BUDGET + EXTRACTOR_GZIP_BUDGET),
        verdict(wasm_gzip, SHELL_WASM_GZIP_BUDGET + EXTRACTOR_GZIP_BUDGET)
    );
    println!(
        "| the same wasm without the extractor (size probe) | {} | {} | {} gzip | {} |",
        kib(file_len(&probe)?),
        kib(shell_gzip),
        kib(SHELL_WASM_GZIP_BUDGET),
        verdict(shell_gzip, SHELL_WASM_GZIP_BUDGET)
    );
    println!(
        "| the extractor's share (parser, extraction, Markdown) | | {} | {} gzip | {} |",
        kib(extractor_gzip),
        kib(EXTRACTOR_GZIP_BUDGET),
        verdict(extractor_gzip, EXTRACTOR_GZIP_BUDGET)
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
    if extractor_gzip > EXTRACTOR_GZIP_BUDGET || shell_gzip > SHELL_WASM_GZIP_BUDGET {
        return Err(format!(
            "wasm over budget: the extractor adds {} gzipped (budget {}), the rest is {} (budget {})",
            kib(extractor_gzip),
            kib(EXTRACTOR_GZIP_BUDGET),
            kib(shell_gzip),
            kib(SHELL_WASM_GZIP_BUDGET)
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
