//! Finding a model server on this computer: the default ports to probe, and what to make of what answers.
//!
//! The first-run setup probes each [`LocalServer`] without any host
//! permission (an opaque `no-cors` request only says whether something
//! listens). Once the user picks one, its model list decides the model
//! ([`choose_model`]) or what the user must do first ([`LocalSetupProblem`]).

use super::diagnosis::TransportFailure;
use super::models::ModelInfo;

/// A kind of model server that runs on this computer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalServerKind {
    /// Ollama, on port 11434.
    Ollama,
    /// llama.cpp's `llama-server`, on port 8080.
    LlamaCpp,
    /// LM Studio's server, on port 1234.
    LmStudio,
}

/// One local server and where to look for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalServer {
    /// Which server it is.
    pub kind: LocalServerKind,
    /// The preset a working server is saved with (`provider::presets`).
    pub preset_id: &'static str,
    /// The base URL saved for it (the preset's default).
    pub base_url: &'static str,
    /// A cheap URL that answers whenever the server listens.
    pub probe_url: &'static str,
}

/// The servers the setup card looks for, in the order it offers them.
/// Ollama uses its native API, which sizes the context window per request.
pub const LOCAL_SERVERS: &[LocalServer] = &[
    LocalServer {
        kind: LocalServerKind::Ollama,
        preset_id: "ollama",
        base_url: "http://127.0.0.1:11434",
        probe_url: "http://127.0.0.1:11434/",
    },
    LocalServer {
        kind: LocalServerKind::LlamaCpp,
        preset_id: "llamacpp",
        base_url: "http://127.0.0.1:8080/v1",
        probe_url: "http://127.0.0.1:8080/health",
    },
    LocalServer {
        kind: LocalServerKind::LmStudio,
        preset_id: "lmstudio",
        base_url: "http://127.0.0.1:1234/v1",
        probe_url: "http://127.0.0.1:1234/v1/models",
    },
];

/// The table entry of `kind`.
pub fn local_server(kind: LocalServerKind) -> &'static LocalServer {
    match kind {
        LocalServerKind::Ollama => &LOCAL_SERVERS[0],
        LocalServerKind::LlamaCpp => &LOCAL_SERVERS[1],
        LocalServerKind::LmStudio => &LOCAL_SERVERS[2],
    }
}

/// Why a local server that answers cannot be used yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalSetupProblem {
    /// The server lists no chat model (for Ollama: none pulled yet).
    NoModels,
}

/// The model to start with: the first one that can chat (embedding
/// models cannot), or the first of all if none looks like a chat model.
pub fn choose_model(models: &[ModelInfo]) -> Result<String, LocalSetupProblem> {
    let is_embedding = |model: &&ModelInfo| {
        let id = model.id.to_ascii_lowercase();
        id.contains("embed") || id.contains("bge-") || id.contains("rerank")
    };
    models
        .iter()
        .find(|model| !is_embedding(model))
        .or_else(|| models.first())
        .map(|model| model.id.clone())
        .ok_or(LocalSetupProblem::NoModels)
}

/// What a `fetch` that got no response means, given whether a `no-cors`
/// probe of the same origin got through: something listens but the browser
/// blocked the real request (CORS, permissions), or nothing is there.
pub fn transport_failure(listening: bool) -> TransportFailure {
    if listening {
        TransportFailure::BlockedByBrowser
    } else {
        TransportFailure::Unreachable
    }
}

/// The origin of a URL (`scheme://host:port/`), for a reachability probe;
/// `None` when it has no http(s) scheme.
pub fn probe_url_for(base_url: &str) -> Option<String> {
    let (scheme, rest) = base_url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().filter(|authority| !authority.is_empty())?;
    Some(format!("{scheme}://{authority}/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::presets::find_preset;

    fn model(id: &str) -> ModelInfo {
        ModelInfo { id: id.into(), display_name: None, context_window: None }
    }

    #[test]
    fn every_local_server_matches_its_preset() {
        for kind in [LocalServerKind::Ollama, LocalServerKind::LlamaCpp, LocalServerKind::LmStudio] {
            let server = local_server(kind);
            assert_eq!(server.kind, kind);
            let preset = find_preset(server.preset_id).unwrap();
            assert!(preset.local);
            assert_eq!(preset.base_url, server.base_url);
            assert!(server.probe_url.starts_with(server.base_url.trim_end_matches("/v1")));
        }
    }

    #[test]
    fn the_first_chat_model_is_chosen() {
        assert_eq!(choose_model(&[model("nomic-embed-text:latest"), model("qwen2.5:3b")]), Ok("qwen2.5:3b".into()));
        assert_eq!(choose_model(&[model("bge-m3")]), Ok("bge-m3".into()));
        assert_eq!(choose_model(&[]), Err(LocalSetupProblem::NoModels));
    }

    #[test]
    fn probes_go_to_the_origin() {
        assert_eq!(probe_url_for("http://127.0.0.1:9/v1"), Some("http://127.0.0.1:9/".into()));
        assert_eq!(probe_url_for(" HTTPS://api.example.com "), Some("https://api.example.com/".into()));
        assert_eq!(probe_url_for("localhost:11434"), None);
        assert_eq!(probe_url_for("http://"), None);
        assert_eq!(transport_failure(true), TransportFailure::BlockedByBrowser);
        assert_eq!(transport_failure(false), TransportFailure::Unreachable);
    }
}
