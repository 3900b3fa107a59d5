// Shared set-up of the end-to-end tests: a steward built from this checkout and started on a
// throwaway SQLite database and a free port, headless Chromium (Debian's package, driven by
// playwright-core; nothing is downloaded), and a GraphQL helper for arranging data through the API.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const repo = join(import.meta.dirname, '..', '..');
export const screenshots = join(import.meta.dirname, 'screenshots');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, proc) {
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`steward exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url + '/readyz')).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('steward did not become ready');
}

/**
 * Starts steward (STEWARD_BIN, or a fresh `go build`) on a new SQLite file and returns
 * { url, gql, signup, signin, stop }.
 */
export async function startSteward(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'steward-e2e-'));
  let bin = process.env.STEWARD_BIN;
  if (!bin) {
    bin = join(dir, 'steward');
    execFileSync('go', ['build', '-o', bin, './cmd/steward'], { cwd: repo, stdio: 'inherit' });
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, [], {
    cwd: dir,
    env: {
      ...process.env,
      STEWARD_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: join(dir, 'steward.db'),
      WEBUI_SECRET_KEY: 'e2e-secret-key-0123456789abcdef0123456789',
      ...env,
    },
    stdio: ['ignore', 'ignore', process.env.E2E_STEWARD_LOG ? 'inherit' : 'ignore'],
  });
  await waitHealthy(url, proc);

  async function gql(token, query, variables = {}) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url + '/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = await res.json();
    if (body.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`);
    return body.data;
  }
  async function signup(name, email, password) {
    const d = await gql(null, 'mutation($i: SignupInput!) { signup(input: $i) { token user { id role } } }', {
      i: { name, email, password },
    });
    return { token: d.signup.token, id: d.signup.user.id, role: d.signup.user.role, email, password };
  }
  return {
    url,
    gql,
    signup,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium from the distribution's package. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens a page on which every request to anything but steward is aborted and recorded in
 * `foreign`, so a test can assert that none was attempted.
 */
export async function isolatedPage(browser, steward, options = {}) {
  const context = await browser.newContext(options);
  const foreign = [];
  const origin = new URL(steward.url).origin;
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (new URL(u).origin === origin) return route.continue();
    foreign.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return { context, page, foreign, consoleErrors };
}

/** Saves a full-page screenshot as e2e/screenshots/<name>.png (an artifact of the run). */
export async function shot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/**
 * Resolves when the page has sent a graphql-ws subscribe message on any socket (the server
 * handles a socket's messages in order, so a change made after this reaches the subscription).
 * Call it before the action that subscribes.
 */
export function subscribeSent(page) {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => ws.on('framesent', (f) => String(f.payload).includes('"type":"subscribe"') && resolve(ws)));
  });
}

/**
 * Starts the fake YooKassa (internal/payments/yookassa/yookassatest/fakeyookassa) as a process and
 * returns { env, succeed(paymentId), stop }: env points steward at it (shop-1 / test_secret), and
 * succeed plays the payer, marking a payment paid at the provider.
 */
export async function startFakeYooKassa() {
  const dir = mkdtempSync(join(tmpdir(), 'steward-e2e-yk-'));
  const bin = join(dir, 'fakeyookassa');
  execFileSync('go', ['build', '-o', bin, './internal/payments/yookassa/yookassatest/fakeyookassa'], { cwd: repo, stdio: 'inherit' });
  const proc = spawn(bin, [], { stdio: ['ignore', 'pipe', 'inherit'] });
  const urls = await new Promise((resolve, reject) => {
    let out = '';
    proc.once('exit', (code) => reject(new Error(`fakeyookassa exited with ${code}`)));
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
  });
  return {
    env: { YOOKASSA_SHOP_ID: 'shop-1', YOOKASSA_SECRET_KEY: 'test_secret', YOOKASSA_API_URL: urls.api },
    async succeed(paymentId) {
      const res = await fetch(`${urls.control}/succeed?id=${encodeURIComponent(paymentId)}`, { method: 'POST' });
      if (!res.ok) throw new Error(`fakeyookassa succeed ${paymentId}: ${res.status} ${await res.text()}`);
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
