//! Making sure the tools a build or test needs are installed, installing them where we can.
//!
//! Every function here is idempotent and cheap when the tool is already
//! present, so each command calls the ones it needs on every run. Nothing is
//! downloaded from outside the package registries (crates.io, npm, apt).

use crate::command::{exists, output, run, run_with_env};
use crate::project_root;
use std::path::{Path, PathBuf};

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// PATH with the cargo bin folder in front, for child processes.
pub fn path_with_cargo_bin() -> String {
    let current = std::env::var("PATH").unwrap_or_default();
    format!("{}:{current}", cargo_bin_dir().display())
}

/// Installs the wasm32 target through rustup when it is missing.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    if !exists("rustup") {
        return Err(
            "the wasm32-unknown-unknown target is missing and rustup is not installed; \
                    install Rust with rustup (https://rustup.rs), then run `rustup target add wasm32-unknown-unknown`"
                .into(),
        );
    }
    run(&project_root(), "rustup", &["target", "add", "wasm32-unknown-unknown"])
}

/// The wasm-bindgen crate version pinned in Cargo.lock.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock does not list wasm-bindgen; run `cargo generate-lockfile`".into())
}

/// The wasm-bindgen CLI, installed or replaced so its version equals the
/// crate's (the test runner refuses to run otherwise).
pub fn ensure_wasm_bindgen() -> Result<PathBuf, String> {
    let wanted = locked_wasm_bindgen_version()?;
    let binary = cargo_bin_dir().join("wasm-bindgen");
    let installed = output(binary.to_str().unwrap_or("wasm-bindgen"), &["--version"]).unwrap_or_default();
    if installed.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(binary);
    }
    eprintln!(
        "installing wasm-bindgen-cli {wanted} to match Cargo.lock (found {:?}); this takes about 7 minutes once",
        if installed.is_empty() { "none" } else { installed.as_str() }
    );
    // `--locked` fails on these registries (see shared/design/toolchain.md).
    run(&project_root(), "cargo", &["install", "wasm-bindgen-cli", "--version", &wanted, "--force"])?;
    Ok(binary)
}

/// The npm development packages (binaryen, playwright-core, web-ext), installed from package-lock.json.
pub fn ensure_npm_packages() -> Result<(), String> {
    let root = project_root();
    if !exists("npm") || !exists("node") {
        return Err(
            "Node.js 20+ and npm are needed: `apt-get install nodejs npm` (Debian) or see https://nodejs.org".into()
        );
    }
    let marker = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    if is_newer_or_missing(&marker, &lock) {
        run(&root, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

fn is_newer_or_missing(target: &Path, source: &Path) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (modified(target), modified(source)) {
        (Some(target), Some(source)) => source > target,
        _ => true,
    }
}

/// Paths to a Chromium build and its matching ChromeDriver.
pub struct Chromium {
    /// The browser executable.
    pub browser: PathBuf,
    /// The WebDriver server for wasm-bindgen-test.
    pub driver: PathBuf,
}

/// Debian's Chromium and ChromeDriver, installed through apt when running as
/// root on Debian or Ubuntu; otherwise an exact instruction. A font with
/// Chinese characters comes in the same install when none is there, so that
/// the e2e screenshots of the Simplified Chinese interface are readable
/// (without one, headless Chromium draws every character as an empty box).
pub fn ensure_chromium() -> Result<Chromium, String> {
    let browser = env_path("PAGEWISE_CHROMIUM", "/usr/bin/chromium");
    let driver = env_path("CHROMEDRIVER", "/usr/bin/chromedriver");
    let needs_browser = !browser.exists() || !driver.exists();
    // fontconfig's fc-list comes with Chromium: before it, no font is known.
    let needs_font = output("fc-list", &[":lang=zh"]).is_none_or(|fonts| fonts.trim().is_empty());
    let mut packages = Vec::new();
    if needs_browser {
        packages.extend(["chromium", "chromium-driver"]);
    }
    if needs_font {
        packages.push(CHINESE_FONT);
    }
    if packages.is_empty() {
        return Ok(Chromium { browser, driver });
    }
    match apt_install(&packages) {
        Ok(()) => {}
        Err(instruction) if needs_browser => {
            return Err(format!(
                "Chromium and ChromeDriver are needed at {} and {}: {instruction} \
                 (or set PAGEWISE_CHROMIUM and CHROMEDRIVER to your own builds)",
                browser.display(),
                driver.display()
            ));
        }
        // Tests pass without the font: only the screenshots lose their Chinese text.
        Err(instruction) => {
            eprintln!("warning: no font with Chinese characters; the zh screenshots will show boxes: {instruction}");
        }
    }
    Ok(Chromium { browser, driver })
}

/// The Debian package of a small font covering Simplified Chinese.
const CHINESE_FONT: &str = "fonts-wqy-microhei";

/// Debian's Firefox ESR, for the Firefox smoke test; installed like Chromium.
pub fn ensure_firefox() -> Result<PathBuf, String> {
    let browser = env_path("PAGEWISE_FIREFOX", "/usr/bin/firefox-esr");
    if !browser.exists() {
        apt_install(&["firefox-esr"]).map_err(|instruction| {
            format!("Firefox ESR is needed at {}: {instruction} (or set PAGEWISE_FIREFOX)", browser.display())
        })?;
    }
    Ok(browser)
}

fn env_path(variable: &str, default: &str) -> PathBuf {
    std::env::var_os(variable).map(PathBuf::from).unwrap_or_else(|| default.into())
}

/// Installs Debian packages when we are root and apt exists; otherwise
/// returns the command the user should run.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    let instruction = format!("run `sudo apt-get install {}`", packages.join(" "));
    let is_root = output("id", &["-u"]).as_deref() == Some("0");
    if !is_root || !exists("apt-get") {
        return Err(instruction);
    }
    eprintln!("installing {} through apt", packages.join(", "));
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    run_with_env(Path::new("/"), "apt-get", &["update", "-qq"], &env).map_err(|e| format!("{e}; {instruction}"))?;
    let mut args = vec!["install", "-y", "-qq"];
    args.extend_from_slice(packages);
    run_with_env(Path::new("/"), "apt-get", &args, &env).map_err(|e| format!("{e}; {instruction}"))
}

/// Installs everything the build and all test tiers need.
pub fn setup_all() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()?;
    ensure_chromium()?;
    ensure_firefox()?;
    eprintln!("setup complete");
    Ok(())
}
