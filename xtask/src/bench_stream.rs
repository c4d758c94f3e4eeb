//! `cargo xtask bench stream`: decoding throughput and memory on large synthetic streams, beside a JS peer.

use crate::allocation::{peak, reset_peak};
use crate::project_root;
use crate::toolchain::ensure_npm_packages;
use pagewise::provider::ApiFamily;
use pagewise::stream::{StreamDecoder, StreamEvent, WireFormat};
use std::process::Command;
use std::time::Instant;

/// The throughput the decoder must reach natively.
const TARGET_MB_PER_SECOND: f64 = 200.0;
/// Bytes per network read, as a browser typically delivers them.
const READ_SIZE: usize = 16 * 1024;
const RUNS: usize = 5;

/// One synthetic stream.
struct Workload {
    name: &'static str,
    family: ApiFamily,
    body: Vec<u8>,
}

fn openai_body(target_bytes: usize) -> Vec<u8> {
    let words =
        ["The ", "tide ", "pool ", "holds ", "anemones, ", "螃蟹", "和", "海星。", "\\\"quoted\\\" ", "line\\n"];
    let mut body = Vec::with_capacity(target_bytes + 1024);
    let mut index = 0usize;
    while body.len() < target_bytes {
        let word = words[index % words.len()];
        let chunk = format!(
            "data: {{\"id\":\"chatcmpl-8x\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"qwen-plus\",\"system_fingerprint\":null,\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}},\"logprobs\":null,\"finish_reason\":null}}],\"usage\":null}}\n\n"
        );
        body.extend_from_slice(chunk.as_bytes());
        index += 1;
    }
    body.extend_from_slice(b"data: {\"id\":\"chatcmpl-8x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    body
}

fn anthropic_body(target_bytes: usize) -> Vec<u8> {
    let mut body = b"event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n".to_vec();
    while body.len() < target_bytes {
        body.extend_from_slice(b"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"tide pools \"}}\n\n");
    }
    body.extend_from_slice(b"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    body
}

fn ollama_body(target_bytes: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < target_bytes {
        body.extend_from_slice(b"{\"model\":\"qwen2.5:7b\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"tide pools \"},\"done\":false}\n");
    }
    body.extend_from_slice(b"{\"model\":\"qwen2.5:7b\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":10,\"eval_count\":9}\n");
    body
}

/// Decodes `body` in reads of [`READ_SIZE`]; returns (seconds, content bytes, peak heap growth).
fn decode_once(family: ApiFamily, body: &[u8]) -> (f64, usize, usize) {
    let baseline = reset_peak();
    let started = Instant::now();
    let mut decoder = StreamDecoder::with_format(family, WireFormat::of(family));
    let mut content = 0usize;
    let mut count = |events: Vec<StreamEvent>| {
        for event in events {
            if let StreamEvent::Content(text) = event {
                content += text.len();
            }
        }
    };
    for read in body.chunks(READ_SIZE) {
        count(decoder.push(read));
    }
    count(decoder.finish());
    let seconds = started.elapsed().as_secs_f64();
    (seconds, content, peak().saturating_sub(baseline))
}

/// Runs the benchmark and prints its table.
pub fn stream() -> Result<(), String> {
    let size = 64 * 1024 * 1024;
    let workloads = [
        Workload { name: "OpenAI chat SSE", family: ApiFamily::OpenAi, body: openai_body(size) },
        Workload { name: "Anthropic SSE", family: ApiFamily::Anthropic, body: anthropic_body(size) },
        Workload { name: "Ollama NDJSON", family: ApiFamily::Ollama, body: ollama_body(size) },
    ];
    println!(
        "| stream ({} MiB, {} KiB reads) | median MB/s | peak heap while decoding | content bytes |",
        size >> 20,
        READ_SIZE >> 10
    );
    println!("|---|---:|---:|---:|");
    let mut slowest = f64::INFINITY;
    for workload in &workloads {
        let mut timings: Vec<(f64, usize, usize)> =
            (0..RUNS).map(|_| decode_once(workload.family, &workload.body)).collect();
        timings.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (seconds, content, heap) = timings[RUNS / 2];
        let rate = workload.body.len() as f64 / 1e6 / seconds;
        slowest = slowest.min(rate);
        println!("| Pagewise, {} | {rate:.0} | {:.1} KiB | {content} |", workload.name, heap as f64 / 1024.0);
    }
    let peer = peer_rate(&workloads[0].body)?;
    println!("| eventsource-parser 3 + JSON.parse (node), OpenAI chat SSE | {peer:.0} | | |");
    println!("\nTarget: at least {TARGET_MB_PER_SECOND:.0} MB/s natively; heap bounded by the largest event, not the stream.");
    if slowest < TARGET_MB_PER_SECOND {
        return Err(format!(
            "the slowest workload decodes at {slowest:.0} MB/s, under the {TARGET_MB_PER_SECOND:.0} MB/s target"
        ));
    }
    Ok(())
}

/// The peer's median MB/s on the same bytes, in node.
fn peer_rate(body: &[u8]) -> Result<f64, String> {
    ensure_npm_packages()?;
    let root = project_root();
    let file = root.join("target/bench-stream-openai.sse");
    std::fs::write(&file, body).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let output = Command::new("node")
        .arg(root.join("xtask/bench_stream_peer.mjs"))
        .arg(&file)
        .arg(READ_SIZE.to_string())
        .arg(RUNS.to_string())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let _ = std::fs::remove_file(&file);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the peer printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stderr)))?;
    let seconds = report["median_seconds"].as_f64().ok_or("the peer reported no time")?;
    Ok(body.len() as f64 / 1e6 / seconds)
}
