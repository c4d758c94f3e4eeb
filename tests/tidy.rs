//! Tidy: the architecture invariants of ARCHITECTURE.md, checked on the source tree.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative to the root) whose name ends with one of `extensions`.
fn files(dir: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(current) = stack.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if extensions.iter().any(|ext| path.to_string_lossy().ends_with(ext)) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The adapters: the only code allowed to touch the outside world.
const ADAPTERS: &[&str] = &["src/platform", "src/ui", "src/web_entry.rs", "src/cli", "src/main.rs"];

/// The modules that must stay pure: everything in src/ but the adapters.
fn core_files() -> Vec<PathBuf> {
    files("src", &[".rs"])
        .into_iter()
        .filter(|path| {
            let name = relative(path);
            !ADAPTERS.iter().any(|adapter| name.starts_with(adapter))
        })
        .collect()
}

#[test]
fn every_rust_file_opens_with_a_doc_line() {
    let mut missing = Vec::new();
    for dir in ["src", "tests", "xtask/src", "fuzz/fuzz_targets"] {
        for path in files(dir, &[".rs"]) {
            if !read(&path).starts_with("//! ") {
                missing.push(relative(&path));
            }
        }
    }
    assert!(missing.is_empty(), "these files must open with a `//!` line saying what they own: {missing:?}");
}

#[test]
fn every_script_opens_with_a_comment_line() {
    let mut missing = Vec::new();
    for dir in ["extension", "tests", "xtask"] {
        for path in files(dir, &[".js", ".mjs"]) {
            if !read(&path).starts_with("// ") {
                missing.push(relative(&path));
            }
        }
    }
    assert!(missing.is_empty(), "these scripts must open with a `//` line saying what they own: {missing:?}");
}

#[test]
fn the_core_never_touches_the_outside_world() {
    const FORBIDDEN: &[&str] = &[
        "wasm_bindgen",
        "web_sys",
        "js_sys",
        "gloo",
        "leptos",
        "serde_wasm_bindgen",
        "console_error_panic_hook",
        "std::time",
        "Instant::",
        "SystemTime",
        "std::fs",
        "std::net",
        "std::env",
        "std::process",
        "thread_local!",
        "static mut",
        "rand::",
        "getrandom",
    ];
    let mut violations = Vec::new();
    for path in core_files() {
        let text = read(&path);
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in FORBIDDEN {
                if code.contains(word) {
                    violations.push(format!("{}:{}: {word}", relative(&path), number + 1));
                }
            }
        }
    }
    assert!(violations.is_empty(), "the core must be data in, data out:\n{}", violations.join("\n"));
}

#[test]
fn adapters_are_compiled_for_their_target_only() {
    let lib = read(&root().join("src/lib.rs"));
    for module in ["pub mod platform;", "mod ui;", "mod web_entry;"] {
        let gated = format!("#[cfg(target_arch = \"wasm32\")]\n{module}");
        assert!(lib.contains(&gated), "src/lib.rs must gate `{module}` behind cfg(target_arch = \"wasm32\")");
    }
    let native = "#[cfg(not(target_arch = \"wasm32\"))]\npub mod cli;";
    assert!(lib.contains(native), "src/lib.rs must gate the command line behind cfg(not(target_arch = \"wasm32\"))");
    // Everything before the first target-gated table is shared by all targets.
    let manifest = read(&root().join("Cargo.toml"));
    let shared = manifest.split("\n[target.").next().unwrap_or_default();
    for krate in ["wasm-bindgen", "web-sys", "js-sys", "serde-wasm-bindgen", "gloo", "leptos", "ureq"] {
        assert!(
            !shared
                .lines()
                .any(|line| line.starts_with(&format!("{krate} ")) || line.starts_with(&format!("{krate}="))),
            "{krate} must sit in a target-gated dependency table"
        );
    }
}

#[test]
fn only_the_ui_uses_leptos_and_only_adapters_use_browser_crates() {
    let mut violations = Vec::new();
    for path in files("src/platform", &[".rs"]) {
        if read(&path).contains("leptos") {
            violations.push(relative(&path));
        }
    }
    assert!(violations.is_empty(), "platform/ must not use leptos: {violations:?}");
}

#[test]
fn no_raw_html_injection_anywhere() {
    const SINKS: &[&str] = &[
        "innerHTML",
        "outerHTML =",
        "outerHTML=",
        "insertAdjacentHTML",
        "set_inner_html",
        "set_outer_html",
        "inner_html=",
        "document.write",
    ];
    let mut violations = Vec::new();
    for (dir, extensions) in [("src", &[".rs"][..]), ("extension", &[".js", ".html"][..])] {
        for path in files(dir, extensions) {
            // Code only: a comment may name a sink to explain why it is avoided.
            let code: String = read(&path)
                .lines()
                .map(|line| line.split("//").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            for sink in SINKS {
                if code.contains(sink) {
                    violations.push(format!("{}: {sink}", relative(&path)));
                }
            }
        }
    }
    assert!(violations.is_empty(), "untrusted text must never reach an HTML sink: {violations:?}");
}

#[test]
fn adapters_do_not_unwrap() {
    let mut violations = Vec::new();
    for dir in ["src/platform", "src/ui", "src/cli"] {
        for path in files(dir, &[".rs"]) {
            for (number, line) in read(&path).lines().enumerate() {
                if line.contains(".unwrap()") || line.contains(".expect(") {
                    violations.push(format!("{}:{}", relative(&path), number + 1));
                }
            }
        }
    }
    let entry = read(&root().join("src/web_entry.rs"));
    assert!(!entry.contains(".unwrap()") && !entry.contains(".expect("), "src/web_entry.rs must not unwrap");
    assert!(violations.is_empty(), "adapters report errors instead of panicking: {violations:?}");
}

#[test]
fn the_javascript_stays_a_thin_shim() {
    const MAX_LINES: usize = 60;
    for path in files("extension", &[".js"]) {
        let lines = read(&path).lines().count();
        assert!(lines <= MAX_LINES, "{} has {lines} lines; logic belongs in Rust (limit {MAX_LINES})", relative(&path));
    }
}

#[test]
fn manifests_ask_for_no_host_access_up_front() {
    for path in files("extension", &[".json"]) {
        let text = read(&path);
        assert!(!text.contains("<all_urls>"), "{} must not request <all_urls>", relative(&path));
        assert!(!text.contains("\"host_permissions\""), "{} must leave host access optional", relative(&path));
    }
}

#[test]
fn no_grab_bag_modules() {
    for path in files("src", &[".rs"]).into_iter().chain(files("xtask/src", &[".rs"])) {
        let name = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        assert!(
            !["utils", "util", "helpers", "misc", "common"].contains(&name.as_str()),
            "{} is a grab-bag name; name the module after what it owns",
            relative(&path)
        );
    }
}

#[test]
fn the_code_map_names_every_source_file() {
    let architecture = read(&root().join("ARCHITECTURE.md"));
    let mut missing = Vec::new();
    for dir in ["src", "xtask/src"] {
        for path in files(dir, &[".rs"]) {
            let name = relative(&path);
            if !architecture.contains(&format!("`{name}`")) {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "ARCHITECTURE.md's code map must name these files: {missing:?}");
}

#[test]
fn extraction_tunables_live_in_one_place() {
    // Numbers and word lists that are not tunables: facts of the HTML
    // standard (its named references a serializer writes among them), of
    // the calendar and of a hash function, the mark the
    // cleanup writes, and the microdata properties the metadata reads.
    const NOT_TUNABLES: &[&str] = &[
        "LONGEST_ENTITY_NAME",
        "PREFORMATTED",
        "FORMATTING",
        "SVG_CAMEL_CASE_ELEMENTS",
        "SVG_CAMEL_CASE_ATTRIBUTES",
        "SVG_ELEMENT_LENGTHS",
        "SVG_ATTRIBUTE_LENGTHS",
        "SERIALIZER_ESCAPES",
        "INVISIBLE_MIN",
        "WEEKDAYS",
        "MONTHS",
        "HASH_BASE",
        "FORM_WITH_FIELDS_MARK",
        "MICRODATA_PROPERTIES",
    ];
    let mut stray = Vec::new();
    for path in files("src/extract", &[".rs"]).into_iter().chain([root().join("src/extract.rs")]) {
        if path.ends_with("tunables.rs") {
            continue;
        }
        // Unit tests (at the end of a file) have fixtures of their own.
        let source = read(&path);
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for line in code.lines().map(str::trim_start) {
            let Some(rest) = ["const ", "pub const ", "pub(super) const ", "pub(crate) const "]
                .iter()
                .find_map(|prefix| line.strip_prefix(prefix))
            else {
                continue;
            };
            let Some((name, kind)) = rest.split_once(':') else { continue };
            let kind = kind.split('=').next().unwrap_or_default().trim();
            let number_or_words =
                ["usize", "u8", "u16", "u32", "u64", "i32", "i64", "f32", "f64", "&[&str]", "&str", "char"]
                    .contains(&kind)
                    || kind.starts_with('[');
            // A typed list (`ClassWords::new(…)`) is built from a tunable, never from words written in place.
            let words_in_place = rest.contains("&[\"");
            if (number_or_words || words_in_place) && !NOT_TUNABLES.contains(&name.trim()) {
                stray.push(format!("{}: {}", relative(&path), name.trim()));
            }
        }
    }
    assert!(stray.is_empty(), "extraction tunables belong in src/extract/tunables.rs: {stray:?}");
}
