//! The native HTTP adapter: sends a core `HttpRequest` with ureq and streams the body in chunks.

use crate::provider::{HttpMethod, HttpRequest};
use std::io::Read;
use std::sync::mpsc;
use std::time::Duration;

/// How long to wait before giving up.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// To open the connection and receive the response headers.
    pub connect: Duration,
    /// Between two reads of the body (a server that stalls mid-answer).
    pub idle: Duration,
}

impl Default for Timeouts {
    /// The settings schema's defaults, as in the extension.
    fn default() -> Self {
        let network = crate::settings::NetworkSettings::default();
        Timeouts {
            connect: Duration::from_secs(network.connect_timeout_seconds.into()),
            idle: Duration::from_secs(network.idle_timeout_seconds.into()),
        }
    }
}

/// Why a request produced no HTTP response.
#[derive(Debug, PartialEq, Eq)]
pub enum SendFailure {
    /// Nothing listens there, or the host name does not resolve.
    Unreachable(String),
    /// The connect timeout passed.
    ConnectTimeout,
    /// The TLS handshake failed (certificate, protocol).
    Tls(String),
    /// Anything else ureq reports.
    Other(String),
}

/// A response whose body has not been read yet.
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    body: Box<dyn Read + Send>,
}

/// Sends a request and returns once the response headers arrived.
pub fn send(request: &HttpRequest, timeouts: Timeouts) -> Result<Response, SendFailure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(timeouts.connect))
        .timeout_recv_response(Some(timeouts.connect))
        .build()
        .into();
    let result = match request.method {
        HttpMethod::Get => {
            let mut builder = agent.get(&request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            builder.call()
        }
        HttpMethod::Post => {
            let mut builder = agent.post(&request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            builder.send(request.body.as_deref().unwrap_or_default())
        }
    };
    let response = result.map_err(classify)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_ascii_lowercase(), value.to_str().unwrap_or_default().to_string()))
        .collect();
    Ok(Response { status, headers, body: Box::new(response.into_body().into_reader()) })
}

fn classify(error: ureq::Error) -> SendFailure {
    match error {
        ureq::Error::Timeout(_) => SendFailure::ConnectTimeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => SendFailure::Unreachable(error.to_string()),
        ureq::Error::Io(io)
            if matches!(io.kind(), std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound) =>
        {
            SendFailure::Unreachable(io.to_string())
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => SendFailure::Tls(error.to_string()),
        other => SendFailure::Other(other.to_string()),
    }
}

/// How reading a body ended, when not by its natural end.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyFailure {
    /// No bytes arrived for the idle timeout.
    IdleTimeout,
    /// The connection broke (reset, protocol error); the caller treats what
    /// arrived so far as a cut stream.
    Broken(String),
}

impl Response {
    /// Reads the whole body as text, up to `limit` bytes (error bodies are small).
    pub fn text(mut self, limit: u64) -> String {
        let mut bytes = Vec::new();
        let _ = (&mut self.body).take(limit).read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Streams the body, calling `on_chunk` with each read as it arrives.
    /// A reader thread feeds a channel so a stalled server trips the idle
    /// timeout instead of hanging the terminal.
    pub fn stream(self, idle: Duration, mut on_chunk: impl FnMut(&[u8])) -> Result<(), BodyFailure> {
        let (sender, receiver) = mpsc::sync_channel::<Result<Vec<u8>, String>>(16);
        let mut body = self.body;
        std::thread::spawn(move || {
            let mut buffer = vec![0u8; 16 * 1024];
            loop {
                let message = match body.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(read) => Ok(buffer[..read].to_vec()),
                    Err(error) => Err(error.to_string()),
                };
                let failed = message.is_err();
                if sender.send(message).is_err() || failed {
                    break;
                }
            }
        });
        loop {
            match receiver.recv_timeout(idle) {
                Ok(Ok(chunk)) => on_chunk(&chunk),
                Ok(Err(error)) => return Err(BodyFailure::Broken(error)),
                Err(mpsc::RecvTimeoutError::Timeout) => return Err(BodyFailure::IdleTimeout),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }
}
