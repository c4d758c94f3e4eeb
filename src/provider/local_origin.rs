//! Which requests need their `Origin` rewritten: local servers (Ollama above all) that reject extension origins.
//!
//! Ollama answers 403 with an empty body to any `Origin` outside its
//! allowlist, and `chrome-extension://` is not in it unless the user sets
//! `OLLAMA_ORIGINS`. Its allowlist does contain the server's own loopback
//! origin, so in Chromium the extension rewrites `Origin` to that, for the
//! configured loopback endpoint only (see `platform::origin_rewrite`).

/// The rewrite for one endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginRewrite {
    /// A declarativeNetRequest `urlFilter` matching the endpoint and nothing else.
    pub url_filter: String,
    /// The `Origin` value to send: the server's own origin.
    pub origin: String,
}

/// Host names that mean "this computer".
const LOOPBACK_HOSTS: &[&str] = &["127.0.0.1", "localhost", "[::1]", "0.0.0.0"];

/// The rewrite for `base_url`, or `None` when it is not a loopback HTTP(S)
/// endpoint: remote servers are never touched.
pub fn local_origin_rewrite(base_url: &str) -> Option<OriginRewrite> {
    let (scheme, rest) = base_url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && !port.contains(']') => (host.to_string(), Some(port.to_string())),
        _ => (authority.clone(), None),
    };
    if !LOOPBACK_HOSTS.contains(&host.as_str()) {
        return None;
    }
    if let Some(port) = &port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let origin = match &port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    Some(OriginRewrite { url_filter: format!("|{origin}/"), origin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_endpoints_get_their_own_origin() {
        let cases = [
            ("http://127.0.0.1:11434", "http://127.0.0.1:11434"),
            ("http://localhost:11434/v1", "http://localhost:11434"),
            ("HTTP://LOCALHOST:1234/v1/", "http://localhost:1234"),
            ("http://[::1]:8080/v1", "http://[::1]:8080"),
            ("https://127.0.0.1/v1", "https://127.0.0.1"),
        ];
        for (base, origin) in cases {
            let rewrite = local_origin_rewrite(base).unwrap_or_else(|| panic!("{base}"));
            assert_eq!(rewrite.origin, origin, "{base}");
            assert_eq!(rewrite.url_filter, format!("|{origin}/"), "{base}");
        }
    }

    #[test]
    fn remote_and_odd_endpoints_are_never_rewritten() {
        for base in [
            "https://api.openai.com/v1",
            "http://192.168.1.5:11434",
            "http://127.0.0.1.evil.com:11434",
            "http://user@127.0.0.1:11434",
            "ftp://127.0.0.1",
            "127.0.0.1:11434",
            "http://127.0.0.1:11434x/",
            "",
        ] {
            assert_eq!(local_origin_rewrite(base), None, "{base}");
        }
    }
}
