// Starts tauri-driver and one WebDriver session on the real, built desktop app, with its
// own temporary data folder so a test never touches a person's data.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync, openSync, closeSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const screenshots = join(here, 'screenshots');
mkdirSync(screenshots, { recursive: true });

export const appPath = process.env.RESELLER_APP ?? join(root, 'target/debug/reseller-console');

function driverPath() {
  const local = join(homedir(), '.cargo/bin/tauri-driver');
  return existsSync(local) ? local : 'tauri-driver';
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((res) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${ms} ms`);
}

async function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
    srv.on('error', rej);
  });
}

/** Launches the app; returns { browser, dataDir, stop }. */
export async function launch() {
  if (!existsSync(appPath)) throw new Error(`build the app first: ${appPath} is missing`);
  const dataDir = mkdtempSync(join(tmpdir(), 'reseller-e2e-'));
  const port = await freePort();
  const nativePort = await freePort();
  // The driver, WebKitWebDriver and the app get their own process group and log file:
  // nothing they leave behind may hold this runner's output open or outlive the test.
  const logs = join(here, 'logs');
  mkdirSync(logs, { recursive: true });
  const log = openSync(join(logs, `driver-${port}.log`), 'a');
  const driver = spawn(driverPath(), ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, RESELLER_DATA_DIR: dataDir },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  await waitForPort(port, 20000);
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    connectionRetryCount: 1,
    capabilities: {
      'tauri:options': { application: appPath },
      'wdio:enforceWebDriverClassic': true,
    },
  });
  const stop = async () => {
    await Promise.race([
      browser.deleteSession().catch(() => {}),
      new Promise((r) => setTimeout(r, 10000)),
    ]);
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      try { process.kill(-driver.pid, signal); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  return { browser, dataDir, stop };
}

/** Waits until the page's visible text contains `text`. */
/** The page's text as a person reads it (WebKit's getText skips some inline elements). */
export async function pageText(browser) {
  return browser.execute(() => document.body.innerText.replace(/\u00a0/g, ' '));
}

export async function waitForText(browser, text, timeout = 15000) {
  try {
    await browser.waitUntil(async () => (await pageText(browser)).includes(text), { timeout });
  } catch {
    const shown = await pageText(browser).catch(() => '<no page>');
    await snap(browser, `missing-${text.replace(/[^a-z0-9]+/gi, '_')}`);
    throw new Error(`"${text}" never appeared; the page shows:\n${shown.slice(0, 2000)}`);
  }
}

/** A screenshot for people to look at; a slow or failed capture never fails a test. */
export async function snap(browser, name) {
  try {
    await Promise.race([
      browser.saveScreenshot(join(screenshots, `${name}.png`)),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 20000)),
    ]);
  } catch (e) {
    console.error(`# screenshot ${name} skipped: ${e.message}`);
  }
}
