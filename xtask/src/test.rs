//! `cargo xtask test [TIER...]`: every test tier, each preparing what it needs.

use crate::command::{run, run_with_env};
use crate::dist::{dist, path_str};
use crate::project_root;
use crate::toolchain::{
    ensure_chromium, ensure_firefox, ensure_npm_packages, ensure_wasm_bindgen, ensure_wasm_target,
    path_with_cargo_bin,
};
use std::time::Instant;

/// The tiers, in the order they run.
const TIERS: [&str; 4] = ["native", "wasm", "e2e", "firefox"];

/// Runs the named tiers (all by default), reports each, and fails if any failed.
pub fn test(args: &[String]) -> Result<(), String> {
    let wanted: Vec<&str> = if args.is_empty() {
        TIERS.to_vec()
    } else {
        args.iter().map(String::as_str).collect()
    };
    if let Some(unknown) = wanted.iter().find(|tier| !TIERS.contains(tier)) {
        return Err(format!(
            "unknown tier {unknown:?}; tiers are {}",
            TIERS.join(", ")
        ));
    }
    let mut built = false;
    let mut results = Vec::new();
    for tier in wanted {
        eprintln!("\n=== tier {tier} ===");
        let started = Instant::now();
        let outcome = match tier {
            "native" => native(),
            "wasm" => wasm(),
            "e2e" => ensure_dist(&mut built).and_then(|()| e2e()),
            _ => ensure_dist(&mut built).and_then(|()| firefox()),
        };
        results.push((tier, outcome, started.elapsed().as_secs_f64()));
    }
    eprintln!("\n{:<10} {:<8} {:>8}", "tier", "result", "seconds");
    for (tier, outcome, seconds) in &results {
        let verdict = if outcome.is_ok() { "ok" } else { "FAILED" };
        eprintln!("{tier:<10} {verdict:<8} {seconds:>8.1}");
    }
    let failed: Vec<_> = results
        .iter()
        .filter_map(|(tier, outcome, _)| outcome.as_ref().err().map(|e| format!("{tier}: {e}")))
        .collect();
    println!(
        "tiers: {} passed, {} failed",
        results.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

fn ensure_dist(built: &mut bool) -> Result<(), String> {
    if !*built {
        dist()?;
        *built = true;
    }
    Ok(())
}

/// The pure core and the tooling, natively: unit tests, corpus tests and tidy.
fn native() -> Result<(), String> {
    run(&project_root(), "cargo", &["test", "--workspace"])
}

/// The platform adapters in headless Chromium through wasm-bindgen-test.
fn wasm() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    let chromium = ensure_chromium()?;
    let path = path_with_cargo_bin();
    // CHROMEDRIVER forces Chromium even when geckodriver is also on PATH.
    run_with_env(
        &project_root(),
        "cargo",
        &[
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "--package",
            "pagewise",
            "--test",
            "wasm_platform",
        ],
        &[
            ("CHROMEDRIVER", path_str(&chromium.driver)?),
            ("PATH", &path),
        ],
    )
}

/// The built extension in Chromium, driven by playwright-core.
fn e2e() -> Result<(), String> {
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;
    node_tests(
        "tests/e2e",
        &[("PAGEWISE_CHROMIUM", path_str(&chromium.browser)?)],
    )
}

/// dist/firefox through Mozilla's linter (no errors allowed), then a smoke
/// test in Firefox ESR over WebDriver BiDi.
fn firefox() -> Result<(), String> {
    ensure_npm_packages()?;
    let root = project_root();
    let web_ext = root.join("node_modules/.bin/web-ext");
    run(
        &root,
        path_str(&web_ext)?,
        &["lint", "--source-dir", "dist/firefox", "--no-input"],
    )?;
    let browser = ensure_firefox()?;
    node_tests(
        "tests/firefox",
        &[("PAGEWISE_FIREFOX", path_str(&browser)?)],
    )
}

/// Runs every `*.test.mjs` in `dir` with node's test runner, one file at a time.
fn node_tests(dir: &str, env: &[(&str, &str)]) -> Result<(), String> {
    let root = project_root();
    let mut files: Vec<String> = std::fs::read_dir(root.join(dir))
        .map_err(|e| format!("cannot list {dir}: {e}"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .filter_map(|path| path.to_str().map(String::from))
        .collect();
    files.sort();
    let mut args = vec!["--test", "--test-concurrency=1"];
    args.extend(files.iter().map(String::as_str));
    run_with_env(&root, "node", &args, env)
}
