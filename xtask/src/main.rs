//! xtask: the project's build, test, run and benchmark commands (`cargo xtask help`).

mod allocation;
mod bench;
mod bench_extract;
mod bench_long;
mod bench_panel;
mod bench_stream;
mod bench_tokens;
mod command;
mod dist;
mod extraction_score;
mod manifest;
mod model_server;
mod run;
mod test;
mod toolchain;

use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: allocation::CountingAllocator = allocation::CountingAllocator;

const USAGE: &str = "\
usage: cargo xtask <command>

  dist                 build dist/chrome, dist/firefox and their store zips
  test [TIER...]       run test tiers: native, wasm, e2e, firefox (default: all)
  run [--headless] [URL|FILE]
                       build, start a local model if none is configured, and open
                       Chromium with Pagewise loaded on a demo page (or URL/FILE)
  bench size           wasm and zip sizes, and the panel's time to interactive
  bench panel          panel time to interactive, click-to-request latency over the
                       Readability pages, and streamed-answer render cost
  bench long           click to first request on 100 KiB, 1 MiB and 5 MiB articles (Summarize,
                       a question), how it grows, beside Readability.js + Turndown
  bench stream         stream decoding throughput and memory, beside eventsource-parser
  bench extract [--no-browser] [--type TYPE] [--worst N] [--dump DIR]
                       WCXB word F1 per page type, snippet hits, time and memory, beside
                       baselines; then, in Chromium, Pagewise's wasm beside Readability.js;
                       --worst lists the N lowest pages (of TYPE) with precision and recall,
                       --dump writes their Markdown and reference text to DIR
  bench tokens [--dump DIR]
                       the token estimate against cl100k_base and o200k_base on the
                       corpus pages' Markdown: ratio spread, underestimates, speed
  setup                install what building and testing need, then stop
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dist") => dist::dist().map(|_| ()),
        Some("test") => test::test(&args[1..]),
        Some("run") => run::run(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("setup") => toolchain::setup_all(),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the folder holding the top-level Cargo.toml).
pub fn project_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}
