//! `cargo xtask run`: the main job, interactively: Chromium with Pagewise on a page, working against a model.

use crate::command::run_with_env;
use crate::dist::{dist, path_str};
use crate::model_server;
use crate::project_root;
use crate::toolchain::{ensure_chromium, ensure_npm_packages};

/// Builds, makes sure a model endpoint answers, and opens the browser.
pub fn run(args: &[String]) -> Result<(), String> {
    let headless = args.iter().any(|arg| arg == "--headless");
    let root = project_root();
    let target = args
        .iter()
        .find(|arg| !arg.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| root.join("xtask/demo/article.html").to_string_lossy().into_owned());
    let has_display = std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !headless && !has_display {
        return Err("no display found (DISPLAY and WAYLAND_DISPLAY are unset). On a server, run \
                    `cargo xtask run --headless [URL|FILE]`, or give it a virtual display: \
                    `xvfb-run -a cargo xtask run` (Debian: apt-get install xvfb)"
            .into());
    }
    let dist_dir = dist()?.join("chrome");
    ensure_npm_packages()?;
    let chromium = ensure_chromium()?;

    // An endpoint from the environment wins; otherwise a real local model.
    let configured = std::env::var("PAGEWISE_BASE_URL").ok().filter(|url| !url.is_empty());
    let _local_model;
    let (base_url, model) = match configured {
        Some(url) => (url, std::env::var("PAGEWISE_MODEL").unwrap_or_default()),
        None => {
            _local_model = model_server::start()?;
            (model_server::base_url(), model_server::MODEL.to_string())
        }
    };
    let screenshots = root.join("target");
    run_with_env(
        &root,
        "node",
        &[path_str(&root.join("xtask/launch.mjs"))?],
        &[
            ("PAGEWISE_DIST", path_str(&dist_dir)?),
            ("PAGEWISE_CHROMIUM", path_str(&chromium.browser)?),
            ("PAGEWISE_TARGET", &target),
            ("PAGEWISE_HEADLESS", if headless { "1" } else { "0" }),
            ("PAGEWISE_BASE_URL", &base_url),
            ("PAGEWISE_MODEL", &model),
            ("PAGEWISE_SCREENSHOT_DIR", path_str(&screenshots)?),
        ],
    )
}
