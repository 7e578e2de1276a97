// What the browser tests share: a static server for ui/build, the system Chromium through
// playwright-core (never a downloaded browser), a page with the mock backend injected, and
// screenshots in tests/screenshots/.

import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const UI = resolve(here, '..');
const BUILD = join(UI, 'build');
const SCREENSHOTS = join(here, 'screenshots');
const MOCK_BACKEND = join(here, 'mock-backend.js');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * A private, complete copy of ui/build. A desktop build (`cargo tauri build`, the startup
 * benchmark) may run `npm run build` while the tests run, and vite empties the folder
 * first; the copy is retried until index.html and every file it names are there.
 * Refuses a build older than ui/src: that would test yesterday's code.
 */
async function snapshotBuild() {
  for (let attempt = 0; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'reseller-ui-build-'));
    let built = 0;
    try {
      built = statSync(join(BUILD, 'index.html')).mtimeMs;
      cpSync(BUILD, dir, { recursive: true });
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      const assets = html.match(/\/_app\/[^"'\s)]+/g) ?? [];
      if (assets.length > 0 && assets.every((a) => existsSync(join(dir, a)))) {
        if (newestMtime(join(UI, 'src')) > built) {
          rmSync(dir, { recursive: true, force: true });
          throw new Error('ui/build is older than ui/src: run `npm run build` before `npm test`.');
        }
        return dir;
      }
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('ui/build is older')) throw e;
      // Missing, or copied while vite was writing: try again below.
    }
    rmSync(dir, { recursive: true, force: true });
    if (attempt === 20) {
      throw new Error('ui/build is missing or incomplete: run `npm run build` before `npm test`.');
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Serves ui/build on 127.0.0.1 at a random port. Unknown paths get index.html (the SPA
 * fallback Tauri also applies), except under /_app/, where a missing file is a real 404.
 */
export async function startServer() {
  const ROOT = await snapshotBuild();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      const file = normalize(join(ROOT, path));
      if (file !== ROOT && !file.startsWith(ROOT + sep)) {
        res.writeHead(403).end();
        return;
      }
      let body;
      let type;
      try {
        if (!statSync(file).isFile()) throw new Error('not a file');
        body = await readFile(file);
        type = TYPES[extname(file)] ?? 'application/octet-stream';
      } catch {
        if (path.startsWith('/_app/')) {
          res.writeHead(404).end();
          return;
        }
        body = await readFile(join(ROOT, 'index.html'));
        type = TYPES['.html'];
      }
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(ROOT, { recursive: true, force: true });
          ok(undefined);
        });
      }),
  };
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Runs `body` against a fresh browser context with the mock backend, opened at `path`.
 * The context is closed whatever happens; a failure leaves tests/screenshots/FAILED-<name>.png;
 * an uncaught exception in the page fails the test even when `body` passed.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseUrl
 * @param {{ name: string, path?: string, mock?: object, viewport?: { width: number, height: number } }} opts
 * @param {(app: { page: import('playwright-core').Page, calls: (cmd?: string) => Promise<{cmd: string, args: any}[]> }) => Promise<void>} body
 */
export async function withApp(browser, baseUrl, opts, body) {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1200, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Africa/Lagos',
  });
  const errors = [];
  rmSync(join(SCREENSHOTS, `FAILED-${opts.name}.png`), { force: true });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(5000);
    page.on('pageerror', (e) => errors.push(e));
    await page.addInitScript((mock) => {
      // Read by mock-backend.js, which runs next.
      window.__MOCK_OPTIONS__ = mock;
    }, opts.mock ?? {});
    await page.addInitScript({ path: MOCK_BACKEND });
    await page.goto(baseUrl + (opts.path ?? '/'));
    const calls = (cmd) =>
      page.evaluate((c) => window.__mock.calls.filter((x) => c === null || x.cmd === c), cmd ?? null);
    try {
      await body({ page, calls });
    } catch (e) {
      await screenshot(page, `FAILED-${opts.name}`).catch(() => {});
      throw e;
    }
  } finally {
    await context.close();
  }
  if (errors.length) {
    throw new Error(`Uncaught errors in the page:\n${errors.map((e) => e.stack ?? String(e)).join('\n')}`);
  }
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits until `fn` (run in node) stops throwing, for assertions on recorded calls. */
export async function eventually(fn, { timeout = 3000, interval = 50 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}

/** Text with the no-break spaces Intl puts between symbol and number made plain. */
export const plain = (s) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** Text content as a reader sees it: plain spaces, runs of whitespace collapsed. */
export const squash = (s) => plain(s).replace(/\s+/g, ' ').trim();
