//! The `pagewise` command: the native front end over the core (see `src/cli.rs`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    pagewise::cli::main()
}

/// The command line is native only; the wasm build has no use for it.
#[cfg(target_arch = "wasm32")]
fn main() {}
