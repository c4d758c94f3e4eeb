//! The `pagewise` command line (native only): decode streams, list models, and ask a model from a terminal.
//!
//! It is a front end over the same core as the extension: requests are built
//! by `provider`, sent by `cli::http_client`, and decoded by `stream`; errors
//! go through the endpoint doctor and end with a non-zero exit.

pub mod http_client;

use crate::provider::diagnosis::{diagnose_http, diagnose_transport, Diagnosis, TimeoutPhase, TransportFailure};
use crate::provider::models::{list_models_request, parse_model_list};
use crate::provider::presets::{find_preset, Preset, PRESETS};
use crate::provider::request::{build_chat_request, ChatMessage, ChatRequest, Endpoint};
use crate::provider::{base_url::normalize_base_url, ApiFamily};
use crate::stream::{decode_all, StreamDecoder, StreamEvent, StreamResult, Termination, WireFormat};
use http_client::{BodyFailure, SendFailure, Timeouts};
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: pagewise <command> [options]

  decode [--format sse|ndjson] [--api openai|anthropic|gemini|ollama] [--chunk N] FILE|-
      decode a saved response body and print the assembled result as JSON
  ask [endpoint options] [--model M] [--system TEXT] [--max-tokens N]
      [--temperature T] [--think|--no-think] [--events] \"question\"
      stream an answer to the terminal (reasoning goes to stderr);
      --events prints every decoded event as a JSON line instead
  models [endpoint options]
      list the models an endpoint serves
  extract [--url URL] [--format markdown|text|json] [--links] FILE|-
      extract a page's readable content (HTML or .html.gz) and print it;
      --links keeps link and image targets, resolved against --url
  presets
      list the provider presets

endpoint options:
  --preset ID          a provider preset (see `pagewise presets`)
  --base-url URL       the endpoint's base URL (overrides the preset's)
  --api FAMILY         openai, anthropic, gemini or ollama (native /api/chat)
  --key-env VAR        read the API key from environment variable VAR
                       (default PAGEWISE_API_KEY; keys never go on the command line)
  --connect-timeout S  seconds to wait for the response to start (default 30)
  --idle-timeout S     seconds of silence mid-answer before giving up (default 120)
";

/// Runs the command line; the exit code is 0 on success, 1 when the
/// endpoint or stream failed, 2 on a usage error.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let options = match Options::parse(rest) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    let outcome = match command.as_str() {
        "decode" => decode(&options),
        "ask" => ask(&options),
        "models" => models(&options),
        "presets" => presets(),
        "extract" => extract(&options),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => return usage_error(&format!("unknown command {other:?}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => usage_error(&message),
        Err(Failure::Endpoint(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("pagewise: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Why a command failed.
enum Failure {
    /// The command line itself is wrong.
    Usage(String),
    /// The endpoint, the network or the stream failed; the text says what to do.
    Endpoint(String),
}

/// Parsed flags and positional arguments.
#[derive(Default)]
struct Options {
    flags: Vec<(String, Option<String>)>,
    positional: Vec<String>,
}

/// Flags that take no value.
const SWITCHES: &[&str] = &["--think", "--no-think", "--events", "--links"];

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "-" || !arg.starts_with("--") {
                options.positional.push(arg.clone());
            } else if let Some((name, value)) = arg.split_once('=') {
                options.flags.push((name.to_string(), Some(value.to_string())));
            } else if SWITCHES.contains(&arg.as_str()) {
                options.flags.push((arg.clone(), None));
            } else {
                let value = iter.next().ok_or_else(|| format!("{arg} needs a value"))?;
                options.flags.push((arg.clone(), Some(value.clone())));
            }
        }
        Ok(options)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(flag, _)| flag == name).and_then(|(_, value)| value.as_deref())
    }

    fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(flag, _)| flag == name)
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, Failure> {
        self.value(name)
            .map(|text| text.parse().map_err(|_| Failure::Usage(format!("{name} takes a number, not {text:?}"))))
            .transpose()
    }

    fn family(&self) -> Result<Option<ApiFamily>, Failure> {
        self.value("--api")
            .map(|name| {
                ApiFamily::from_name(name).ok_or_else(|| {
                    Failure::Usage(format!("--api must be openai, anthropic, gemini or ollama, not {name:?}"))
                })
            })
            .transpose()
    }

    fn timeouts(&self) -> Result<Timeouts, Failure> {
        let defaults = Timeouts::default();
        Ok(Timeouts {
            connect: self.number::<f64>("--connect-timeout")?.map(Duration::from_secs_f64).unwrap_or(defaults.connect),
            idle: self.number::<f64>("--idle-timeout")?.map(Duration::from_secs_f64).unwrap_or(defaults.idle),
        })
    }

    /// The endpoint from --preset, --base-url, --api and the key variable.
    fn endpoint(&self) -> Result<(Endpoint, Option<&'static Preset>), Failure> {
        let preset = match self.value("--preset") {
            Some(id) => Some(
                find_preset(id)
                    .ok_or_else(|| Failure::Usage(format!("no preset {id:?}; `pagewise presets` lists them")))?,
            ),
            None => None,
        };
        let family = self.family()?.or(preset.map(|p| p.family)).unwrap_or(ApiFamily::OpenAi);
        let raw_url = self.value("--base-url").or(preset.map(|p| p.base_url)).unwrap_or_default();
        if raw_url.is_empty() {
            return Err(Failure::Usage("give --base-url URL or --preset ID".into()));
        }
        let base_url = normalize_base_url(raw_url, family).map_err(|error| Failure::Usage(error.to_string()))?;
        let key_variable = self.value("--key-env").unwrap_or("PAGEWISE_API_KEY");
        let api_key = std::env::var(key_variable).unwrap_or_default();
        if self.value("--key-env").is_some() && api_key.is_empty() {
            return Err(Failure::Usage(format!("environment variable {key_variable} is empty or unset")));
        }
        let endpoint = match preset {
            Some(preset) if preset.family == family => Endpoint::from_preset(preset, base_url, api_key),
            _ => Endpoint::new(family, base_url, api_key),
        };
        Ok((endpoint, preset))
    }
}

fn decode(options: &Options) -> Result<(), Failure> {
    let [path] = options.positional.as_slice() else {
        return Err(Failure::Usage("decode takes one FILE (or - for standard input)".into()));
    };
    let family = options.family()?.unwrap_or(ApiFamily::OpenAi);
    let format = match options.value("--format") {
        None => WireFormat::of(family),
        Some("sse") => WireFormat::Sse,
        Some("ndjson") => WireFormat::Ndjson,
        Some(other) => return Err(Failure::Usage(format!("--format must be sse or ndjson, not {other:?}"))),
    };
    let chunk: usize = options.number("--chunk")?.unwrap_or(0);
    let body = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    }
    .map_err(|error| Failure::Endpoint(format!("cannot read {path}: {error}")))?;
    let result = StreamResult::from_events(decode_all(family, format, &body, chunk));
    let json = serde_json::to_string_pretty(&result).unwrap_or_default();
    print_line(&json);
    match (&result.termination, &result.error) {
        (Some(Termination::Error | Termination::Truncated), Some(error)) => {
            Err(Failure::Endpoint(format!("the stream ended badly: {}", error.message)))
        }
        _ => Ok(()),
    }
}

fn extract(options: &Options) -> Result<(), Failure> {
    let [path] = options.positional.as_slice() else {
        return Err(Failure::Usage("extract takes one FILE (or - for standard input)".into()));
    };
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_end(&mut bytes)).map(|_| ())
    };
    read.map_err(|error| Failure::Endpoint(format!("cannot read {path}: {error}")))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut inflated = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut inflated)
            .map_err(|error| Failure::Endpoint(format!("{path} is not valid gzip: {error}")))?;
        bytes = inflated;
    }
    let snapshot = crate::page::PageSnapshot {
        url: options.value("--url").unwrap_or_default().to_string(),
        html: String::from_utf8_lossy(&bytes).into_owned(),
        ..crate::page::PageSnapshot::default()
    };
    let extract_options = crate::extract::ExtractOptions { link_targets: options.has("--links") };
    let article = crate::extract::extract_with(&snapshot, extract_options);
    match options.value("--format").unwrap_or("markdown") {
        "markdown" => print_line(&article.markdown),
        "text" => print_line(&crate::extract::markdown::to_plain_text(&article.markdown)),
        "json" => print_line(&serde_json::to_string_pretty(&article).unwrap_or_default()),
        other => return Err(Failure::Usage(format!("--format must be markdown, text or json, not {other:?}"))),
    }
    Ok(())
}

fn presets() -> Result<(), Failure> {
    print_line(&format!("{:<16} {:<10} {:<58} default model", "id", "api", "base URL"));
    for preset in PRESETS {
        let family =
            serde_json::to_value(preset.family).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        print_line(&format!("{:<16} {:<10} {:<58} {}", preset.id, family, preset.base_url, preset.default_model));
    }
    Ok(())
}

fn models(options: &Options) -> Result<(), Failure> {
    let (endpoint, _) = options.endpoint()?;
    let request = list_models_request(&endpoint);
    let response =
        http_client::send(&request, options.timeouts()?).map_err(|failure| send_failure(&endpoint, failure))?;
    if !(200..300).contains(&response.status) {
        let (status, headers) = (response.status, response.headers.clone());
        let body = response.text(1 << 20);
        return Err(http_failure(&endpoint, status, &headers, &body));
    }
    let body = response.text(32 << 20);
    let models = parse_model_list(endpoint.family, &body)
        .map_err(|error| Failure::Endpoint(format!("{error} (is {} the right base URL?)", endpoint.base_url)))?;
    for model in models {
        match model.context_window {
            Some(window) => print_line(&format!("{}\t{window}", model.id)),
            None => print_line(&model.id),
        }
    }
    Ok(())
}

fn ask(options: &Options) -> Result<(), Failure> {
    let question = options.positional.join(" ");
    if question.trim().is_empty() {
        return Err(Failure::Usage("ask needs a question".into()));
    }
    let (endpoint, preset) = options.endpoint()?;
    let model = options.value("--model").or(preset.map(|p| p.default_model)).unwrap_or_default();
    if model.is_empty() {
        return Err(Failure::Usage(
            "no model: pass --model M (`pagewise models` lists what the endpoint serves)".into(),
        ));
    }
    let thinking = match (options.has("--think"), options.has("--no-think")) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let chat = ChatRequest {
        model: model.to_string(),
        system: options.value("--system").map(String::from),
        messages: vec![ChatMessage::user(question)],
        temperature: options.number("--temperature")?,
        max_tokens: options.number("--max-tokens")?,
        thinking,
        ..ChatRequest::default()
    };
    let timeouts = options.timeouts()?;
    let request = build_chat_request(&endpoint, &chat);
    let response = http_client::send(&request, timeouts).map_err(|failure| send_failure(&endpoint, failure))?;
    if !(200..300).contains(&response.status) {
        let (status, headers) = (response.status, response.headers.clone());
        let body = response.text(1 << 20);
        return Err(http_failure(&endpoint, status, &headers, &body));
    }
    let mut printer = AnswerPrinter { as_events: options.has("--events"), ..AnswerPrinter::default() };
    let mut decoder = StreamDecoder::new(endpoint.family);
    let streamed = response.stream(timeouts.idle, |bytes| printer.print(decoder.push(bytes)));
    let cut = match streamed {
        Ok(()) => None,
        Err(BodyFailure::IdleTimeout) => Some(diagnose_transport(
            endpoint.family,
            &endpoint.base_url,
            TransportFailure::Timeout { phase: TimeoutPhase::Idle },
        )),
        Err(BodyFailure::Broken(_)) => None,
    };
    printer.print(decoder.finish());
    printer.close();
    if let Some(diagnosis) = cut {
        return Err(Failure::Endpoint(describe(&diagnosis)));
    }
    match printer.result.error {
        Some(error) => {
            let what = if error.kind.as_deref() == Some(crate::stream::StreamError::INCOMPLETE) {
                "the answer was cut off before the model finished (the text above is partial)".to_string()
            } else {
                format!("the model reported an error mid-answer: {}", error.message)
            };
            Err(Failure::Endpoint(what))
        }
        None => Ok(()),
    }
}

/// Prints a streamed answer: content to stdout as it arrives, reasoning to stderr.
#[derive(Default)]
struct AnswerPrinter {
    result: StreamResult,
    in_reasoning: bool,
    as_events: bool,
}

impl AnswerPrinter {
    fn print(&mut self, events: Vec<StreamEvent>) {
        let mut stdout = std::io::stdout().lock();
        for event in events {
            if self.as_events {
                let _ = writeln!(stdout, "{}", serde_json::to_string(&event).unwrap_or_default());
                self.result.apply(event);
                continue;
            }
            match &event {
                StreamEvent::Reasoning(text) => {
                    if !self.in_reasoning {
                        eprint!("[thinking] ");
                        self.in_reasoning = true;
                    }
                    eprint!("{text}");
                }
                StreamEvent::Content(text) => {
                    if self.in_reasoning {
                        eprintln!();
                        self.in_reasoning = false;
                    }
                    let _ = stdout.write_all(text.as_bytes());
                    let _ = stdout.flush();
                }
                StreamEvent::ContentWasReasoning => {
                    eprintln!("\n[the text above was the model's reasoning]")
                }
                _ => {}
            }
            self.result.apply(event);
        }
    }

    fn close(&mut self) {
        if !self.as_events && !self.result.content.is_empty() {
            print_line("");
        }
    }
}

/// Prints a line to stdout; a closed pipe (`pagewise ... | head`) is not an error worth a panic.
fn print_line(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
}

fn describe(diagnosis: &Diagnosis) -> String {
    match &diagnosis.provider_message {
        Some(message) => format!("{message}\n{}", diagnosis.advice),
        None => diagnosis.advice.clone(),
    }
}

fn http_failure(endpoint: &Endpoint, status: u16, headers: &[(String, String)], body: &str) -> Failure {
    let diagnosis = diagnose_http(endpoint.family, &endpoint.base_url, status, headers, body);
    Failure::Endpoint(format!("HTTP {status}: {}", describe(&diagnosis)))
}

fn send_failure(endpoint: &Endpoint, failure: SendFailure) -> Failure {
    let transport = match &failure {
        SendFailure::Unreachable(_) | SendFailure::Other(_) => TransportFailure::Unreachable,
        SendFailure::ConnectTimeout => TransportFailure::Timeout { phase: TimeoutPhase::Connect },
        SendFailure::Tls(_) => TransportFailure::Tls,
    };
    let detail = match failure {
        SendFailure::Unreachable(text) | SendFailure::Tls(text) | SendFailure::Other(text) => {
            format!(" ({text})")
        }
        SendFailure::ConnectTimeout => String::new(),
    };
    let diagnosis = diagnose_transport(endpoint.family, &endpoint.base_url, transport);
    Failure::Endpoint(format!("{}{detail}", describe(&diagnosis)))
}
