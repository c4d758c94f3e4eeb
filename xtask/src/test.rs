//! `cargo xtask test [TIER...]`: every test tier, each preparing what it needs.

use crate::command::{run, run_with_env};
use crate::dist::{dist, path_str};
use crate::project_root;
use crate::toolchain::{
    ensure_chromium, ensure_firefox, ensure_npm_packages, ensure_wasm_bindgen, ensure_wasm_target, path_with_cargo_bin,
};
use std::time::Instant;

/// The optional tier against a real local model (`--real-model`).
const REAL_MODEL: &str = "real-model";

/// The tiers, in the order they run.
const TIERS: [&str; 4] = ["native", "wasm", "e2e", "firefox"];

/// Runs the named tiers (all by default), reports each, and fails if any failed.
pub fn test(args: &[String]) -> Result<(), String> {
    let named: Vec<&str> = args.iter().map(String::as_str).filter(|arg| !arg.starts_with("--")).collect();
    let mut wanted: Vec<&str> = if named.is_empty() { TIERS.to_vec() } else { named };
    // The real model needs a one-time 11-minute build, so it only runs when asked for.
    if args.iter().any(|arg| arg == "--real-model") && !wanted.contains(&REAL_MODEL) {
        wanted.push(REAL_MODEL);
    }
    if let Some(unknown) = wanted.iter().find(|tier| !TIERS.contains(tier) && **tier != REAL_MODEL) {
        return Err(format!("unknown tier {unknown:?}; tiers are {}, and {REAL_MODEL}", TIERS.join(", ")));
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
            REAL_MODEL => ensure_dist(&mut built).and_then(|()| real_model()),
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
    println!("tiers: {} passed, {} failed", results.len() - failed.len(), failed.len());
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
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;
    let path = path_with_cargo_bin();
    let server = StreamServer::start()?;
    // CHROMEDRIVER forces Chromium even when geckodriver is also on PATH.
    // The server's address reaches the tests at compile time (option_env!).
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
            "--test",
            "wasm_model_fetch",
            "--test",
            "wasm_history",
        ],
        &[("CHROMEDRIVER", path_str(&chromium.driver)?), ("PATH", &path), ("PAGEWISE_STREAM_SERVER", &server.url)],
    )
}

/// tests/support/stream_server.mjs, which serves the stream corpus with
/// chunking, stalls, drops and HTTP errors for the browser adapter's tests.
/// It exits when its stdin closes, so it never outlives this process.
struct StreamServer {
    child: std::process::Child,
    url: String,
}

impl StreamServer {
    fn start() -> Result<StreamServer, String> {
        use std::io::BufRead;
        let mut child = std::process::Command::new("node")
            .arg(project_root().join("tests/support/stream_server.mjs"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the stream test server: {e}"))?;
        let stdout = child.stdout.take().ok_or("the stream test server has no stdout")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
        let ready: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("the stream test server said {line:?}: {e}"))?;
        let port = ready["port"].as_u64().ok_or("the stream test server reported no port")?;
        Ok(StreamServer { child, url: format!("http://127.0.0.1:{port}") })
    }
}

impl Drop for StreamServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The built extension in Chromium, driven by playwright-core.
fn e2e() -> Result<(), String> {
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;
    node_tests("tests/e2e", &[("PAGEWISE_CHROMIUM", path_str(&chromium.browser)?)])
}

/// dist/firefox through Mozilla's linter (no errors allowed), then a smoke
/// test in Firefox ESR over WebDriver BiDi.
fn firefox() -> Result<(), String> {
    ensure_npm_packages()?;
    let root = project_root();
    let web_ext = root.join("node_modules/.bin/web-ext");
    run(&root, path_str(&web_ext)?, &["lint", "--source-dir", "dist/firefox", "--no-input"])?;
    let browser = ensure_firefox()?;
    node_tests("tests/firefox", &[("PAGEWISE_FIREFOX", path_str(&browser)?)])
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

/// The `pagewise` command against a real llama.cpp server: it lists the
/// model, and streams an answer in several events that ends cleanly.
fn real_model() -> Result<(), String> {
    let root = project_root();
    let _server = crate::model_server::start()?;
    run(&root, "cargo", &["build", "--quiet", "--bin", "pagewise"])?;
    let binary = root.join("target/debug/pagewise");
    let base_url = crate::model_server::base_url();
    let pagewise = |args: &[&str]| -> Result<String, String> {
        let output =
            std::process::Command::new(&binary).args(args).output().map_err(|e| format!("cannot run pagewise: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            return Err(format!("pagewise {} failed:\n{}", args.join(" "), String::from_utf8_lossy(&output.stderr)));
        }
        Ok(stdout)
    };
    let models = pagewise(&["models", "--base-url", &base_url])?;
    let model = models
        .lines()
        .next()
        .ok_or("the real model server listed no model")?
        .split('\t')
        .next()
        .unwrap_or_default()
        .to_string();
    eprintln!("models: {model}");
    let question = "Name two colors of the sea.";
    let answer = pagewise(&["ask", "--base-url", &base_url, "--model", &model, "--max-tokens", "24", question])?;
    if answer.trim().is_empty() {
        return Err("the real model streamed an empty answer".into());
    }
    eprintln!("ask: {}", answer.trim());
    let events =
        pagewise(&["ask", "--events", "--base-url", &base_url, "--model", &model, "--max-tokens", "16", question])?;
    let parsed: Vec<serde_json::Value> = events.lines().filter_map(|line| serde_json::from_str(line).ok()).collect();
    let contents = parsed.iter().filter(|event| event["type"] == "content").count();
    let end = parsed.last().map(|event| event["value"].clone()).unwrap_or_default();
    eprintln!("streamed {contents} content events, ended with {end}");
    if contents < 2 {
        return Err(format!("expected the answer in several streamed events, got {contents}"));
    }
    if parsed.last().map(|event| event["type"] != "end").unwrap_or(true) || end == "truncated" || end == "error" {
        return Err(format!("the stream did not end cleanly: {end}"));
    }
    // The side panel's main job against the same server.
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;
    node_tests(
        "tests/real_model",
        &[
            ("PAGEWISE_CHROMIUM", path_str(&chromium.browser)?),
            ("PAGEWISE_REAL_BASE_URL", &base_url),
            ("PAGEWISE_REAL_MODEL", &model),
        ],
    )
}
