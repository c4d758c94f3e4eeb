// `cargo xtask bench stream` peer: eventsource-parser (the SSE parser ChatGPTBox vendors) plus JSON.parse, on the same body.
import { createParser } from 'eventsource-parser';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2]);
const chunk = Number(process.argv[3] ?? 16384);
const runs = Number(process.argv[4] ?? 5);
const decoder = new TextDecoder();
const seconds = [];
let content = 0;
for (let run = 0; run < runs; run += 1) {
  content = 0;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const value = JSON.parse(event.data);
      const text = value.choices?.[0]?.delta?.content;
      if (typeof text === 'string') content += text.length;
    },
  });
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < body.length; offset += chunk) {
    parser.feed(decoder.decode(body.subarray(offset, offset + chunk), { stream: true }));
  }
  seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
}
seconds.sort((a, b) => a - b);
console.log(JSON.stringify({ median_seconds: seconds[Math.floor(seconds.length / 2)], content_chars: content }));
