// Firefox harness: starts firefox-esr headless, installs dist/firefox over WebDriver BiDi, and evaluates in its pages.
import WebSocket from 'ws';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIREFOX = process.env.PAGEWISE_FIREFOX ?? '/usr/bin/firefox-esr';
const ADDON_ID = 'pagewise@pagewise.dev';
// A fixed moz-extension:// host, so tests can navigate to the extension's pages
// (which BiDi allows only with --remote-allow-system-access).
const EXTENSION_UUID = '0b5e2a6c-7f0e-4c39-9d7e-2f6b1c1d9a01';

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function connect(port) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/session`);
    const opened = await new Promise((done) => {
      socket.once('open', () => done(true));
      socket.once('error', () => done(false));
    });
    if (opened) return socket;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`Firefox did not open WebDriver BiDi on port ${port}`);
}

/** Launches Firefox with Pagewise installed; returns helpers bound to one tab. */
export async function launchFirefox(dist = join(ROOT, 'dist/firefox')) {
  const profile = mkdtempSync(join(tmpdir(), 'pagewise-firefox-'));
  const uuids = JSON.stringify(JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }));
  writeFileSync(join(profile, 'user.js'), `user_pref("extensions.webextensions.uuids", ${uuids});\n`);
  const port = await freePort();
  const firefox = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, `--remote-debugging-port=${port}`, '--remote-allow-system-access'], { stdio: 'ignore' });
  const socket = await connect(port);
  let nextId = 0;
  const waiting = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(data);
    if (message.id !== undefined && waiting.has(message.id)) {
      waiting.get(message.id)(message);
      waiting.delete(message.id);
    }
  });
  const send = (method, params = {}) => new Promise((done, fail) => {
    const id = ++nextId;
    waiting.set(id, (message) => (message.type === 'success' ? done(message.result) : fail(new Error(`${method}: ${message.error} ${message.message}`))));
    socket.send(JSON.stringify({ id, method, params }));
  });
  await send('session.new', { capabilities: {} });
  await send('webExtension.install', { extensionData: { type: 'path', path: dist } });
  const { contexts } = await send('browsingContext.getTree', {});
  const context = contexts[0].context;

  const open = (path) => send('browsingContext.navigate', { context, url: `moz-extension://${EXTENSION_UUID}/${path}`, wait: 'complete' });
  /** Evaluates an expression (awaiting promises) in the current page; returns its JSON value. */
  const evaluate = async (expression) => {
    const reply = await send('script.evaluate', {
      target: { context }, expression: `(async () => JSON.stringify(await (${expression})))()`, awaitPromise: true,
    });
    if (reply.type === 'exception') throw new Error(`${expression}: ${reply.exceptionDetails.text}`);
    return JSON.parse(reply.result.value ?? 'null');
  };
  const waitFor = async (expression) => {
    for (let attempt = 0; attempt < 400; attempt += 1) {
      const value = await evaluate(expression).catch(() => null);
      if (value) return value;
      await new Promise((done) => setTimeout(done, 25));
    }
    throw new Error(`Firefox never satisfied: ${expression}`);
  };
  const close = async () => {
    // A browser that stopped answering must not keep the test run (or a leaked process) alive.
    await Promise.race([send('session.end').catch(() => {}), new Promise((done) => setTimeout(done, 2000))]);
    socket.close();
    firefox.kill('SIGKILL');
    await new Promise((done) => (firefox.exitCode !== null ? done() : firefox.once('exit', done)));
    rmSync(profile, { recursive: true, force: true });
  };
  return { open, evaluate, waitFor, close };
}
