//! `cargo xtask dist`: the wasm build and the two loadable extensions with their store zips.

use crate::command::run;
use crate::manifest::merge;
use crate::project_root;
use crate::toolchain::{ensure_npm_packages, ensure_wasm_bindgen, ensure_wasm_target};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The browsers we ship to; each has `extension/manifest.<name>.json`.
pub const BROWSERS: [&str; 2] = ["chrome", "firefox"];

/// The wasm features the Rust toolchain emits by default, and SIMD, which
/// wasm-opt must be allowed to keep.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
    // Asked for in .cargo/config.toml (`+simd128`).
    "--enable-simd",
];

/// Builds everything and returns the `dist/` folder.
pub fn dist() -> Result<PathBuf, String> {
    let root = project_root();
    let web_out = root.join("target/web");
    build_wasm(&[], &root.join("target"), &web_out)?;
    let dist = root.join("dist");
    fs::create_dir_all(&dist).map_err(|e| format!("cannot create dist/: {e}"))?;
    for browser in BROWSERS {
        let out = dist.join(browser);
        assemble(&root, &web_out, browser, &out)?;
        write_zip(&out, &dist.join(format!("pagewise-{browser}.zip")))?;
        eprintln!("built {}", out.display());
    }
    Ok(dist)
}

/// Lays out one browser's unpacked extension in `out`.
/// Builds the optimized wasm and its glue into `web_out`, with extra cargo
/// arguments (`--features …`) and a target folder of its own when a
/// variant must not disturb the shipped build. Returns `pagewise_bg.wasm`.
pub fn build_wasm(cargo_extra: &[&str], target_dir: &Path, web_out: &Path) -> Result<PathBuf, String> {
    let root = project_root();
    ensure_wasm_target()?;
    let wasm_bindgen = ensure_wasm_bindgen()?;
    ensure_npm_packages()?;

    // `cargo rustc --crate-type cdylib` keeps the library an rlib for tests
    // while letting the wasm get full LTO (a cdylib+rlib crate loses it).
    let mut cargo_args = vec![
        "rustc",
        "--package",
        "pagewise",
        "--lib",
        "--crate-type",
        "cdylib",
        "--target",
        "wasm32-unknown-unknown",
        "--release",
        "--target-dir",
        path_str(target_dir)?,
    ];
    cargo_args.extend_from_slice(cargo_extra);
    run(&root, "cargo", &cargo_args)?;
    let _ = fs::remove_dir_all(web_out);
    let raw_wasm = target_dir.join("wasm32-unknown-unknown/release/pagewise.wasm");
    run(
        &root,
        wasm_bindgen.to_str().unwrap_or("wasm-bindgen"),
        &[
            path_str(&raw_wasm)?,
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            path_str(web_out)?,
            "--out-name",
            "pagewise",
        ],
    )?;
    let bg_wasm = web_out.join("pagewise_bg.wasm");
    let mut opt_args = vec!["-Oz", "--strip-debug", "--strip-producers"];
    opt_args.extend_from_slice(WASM_FEATURES);
    opt_args.extend_from_slice(&[path_str(&bg_wasm)?, "-o", path_str(&bg_wasm)?]);
    run(&root, path_str(&root.join("node_modules/.bin/wasm-opt"))?, &opt_args)?;
    Ok(bg_wasm)
}

fn assemble(root: &Path, web_out: &Path, browser: &str, out: &Path) -> Result<(), String> {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for entry in read_dir(&root.join("extension"))? {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.starts_with("manifest.") {
            copy_tree(&entry.path(), &out.join(&name))?;
        }
    }
    copy_tree(&root.join("static"), out)?;
    for name in ["pagewise.js", "pagewise_bg.wasm"] {
        copy_tree(&web_out.join(name), &out.join(name))?;
    }
    let mut manifest = read_json(&root.join("extension/manifest.base.json"))?;
    merge(&mut manifest, &read_json(&root.join(format!("extension/manifest.{browser}.json")))?);
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    fs::write(out.join("manifest.json"), text + "\n").map_err(|e| format!("cannot write manifest: {e}"))
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

fn read_dir(dir: &Path) -> Result<Vec<fs::DirEntry>, String> {
    let mut entries: Vec<_> =
        fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?.filter_map(Result::ok).collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    Ok(entries)
}

/// Copies a file, or a folder's contents recursively, to `to`.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    if from.is_dir() {
        fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
        for entry in read_dir(from)? {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {}: {e}", from.display()))
    }
}

/// Zips a folder's contents (not the folder itself), as the stores expect.
fn write_zip(dir: &Path, zip_path: &Path) -> Result<(), String> {
    let file = fs::File::create(zip_path).map_err(|e| format!("cannot create {}: {e}", zip_path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(current) = stack.pop() {
        for entry in read_dir(&current)? {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path)
            } else {
                files.push(path)
            }
        }
    }
    files.sort();
    for path in files {
        let name = path.strip_prefix(dir).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}

/// A path as UTF-8, which every tool we call expects.
pub fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str().ok_or_else(|| format!("path is not UTF-8: {}", path.display()))
}
