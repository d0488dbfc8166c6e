// `npm start` (after `wxt build`): the demo site, and a throw-away Chromium with Report Inspector loaded that trusts
// the demo's certificate, so every kind of report is really delivered. Ctrl+C stops both.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCertificates, trustCa } from '../support/certs.mjs';
import { chromiumArgs, findChromium } from '../support/chromium.mjs';
import { startDemoServer } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMP = path.join(ROOT, '.tmp');
const EXTENSION_DIR = path.join(ROOT, '.output', 'chrome-mv3');
const rel = (/** @type {string} */ p) => path.relative(process.cwd(), p) || '.';

/**
 * @param {string | undefined} value
 * @param {number} fallback
 * @param {string} name
 */
function port(value, fallback, name) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number, not ${JSON.stringify(value)}.`);
  return n;
}

/** @param {string} message */
function fail(message) {
  console.error(message);
  process.exit(1);
}

async function main() {
  if (!fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    fail(`No built extension in ${rel(EXTENSION_DIR)}. Run \`npm run build\` first (\`npm start\` builds it for you).`);
  }

  /** @type {string | undefined} */
  let chromium;
  try {
    chromium = findChromium();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n`);
  }

  fs.mkdirSync(TMP, { recursive: true });
  const certs = ensureCertificates(path.join(TMP, 'demo-certs'));

  // A private HOME whose NSS database trusts the demo CA: Chromium keeps Report-To and NEL only from responses
  // with a certificate it trusts, which --ignore-certificate-errors does not give.
  const home = path.join(TMP, 'chromium-home');
  let trusted = false;
  if (chromium) {
    try {
      trustCa(home, certs.caCert);
      trusted = true;
    } catch (error) {
      console.warn(`${error instanceof Error ? error.message : error}`);
      console.warn(
        'Chromium will accept the demo certificate with --ignore-certificate-errors instead: Reporting-Endpoints',
      );
      console.warn('reports still arrive, but Chromium ignores Report-To and NEL from the demo site.\n');
    }
  }

  const server = await startDemoServer({
    host: process.env.DEMO_HOST || '127.0.0.1',
    httpsPort: port(process.env.DEMO_PORT, 8443, 'DEMO_PORT'),
    httpPort: port(process.env.DEMO_HTTP_PORT, 8080, 'DEMO_HTTP_PORT'),
    certDir: path.join(TMP, 'demo-certs'),
  });

  /** @type {import('node:child_process').ChildProcess | undefined} */
  let browser;
  /** @type {string | undefined} */
  let profile;
  let stopping = false;
  const stop = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    if (browser && browser.exitCode === null && browser.signalCode === null) {
      const exited = new Promise((resolve) => browser?.once('exit', resolve));
      browser.kill('SIGTERM');
      const timer = setTimeout(() => browser?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await server.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  const index = `${server.origin}/`;
  console.log('Report Inspector demo');
  console.log(`  Demo site:  ${index}`);
  console.log(`  Collector:  ${server.origin}/reports   (every report received is printed below)`);

  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!chromium || !hasDisplay) {
    if (chromium)
      console.log('\nThere is no display ($DISPLAY and $WAYLAND_DISPLAY are unset), so Chromium cannot open a window.');
    console.log(
      'The demo site keeps running: open it in your own Chromium-based browser, with the extension loaded from',
    );
    console.log(`${path.resolve(EXTENSION_DIR)} (chrome://extensions → Developer mode → Load unpacked).`);
    console.log(`For Report-To and NEL to be delivered, that browser must trust the CA ${certs.caCert}.`);
    console.log('\nPress Ctrl+C to stop the demo server.\n');
    return;
  }

  // Throw-away profile: wiped before and after. A fixed path leaves nothing behind if a run is killed; two runs at
  // once cannot share it, but they could not share the demo ports either (the server has already started above).
  profile = path.join(TMP, 'chromium-profile');
  fs.rmSync(profile, { recursive: true, force: true });
  fs.mkdirSync(profile, { recursive: true });
  const args = [
    ...chromiumArgs({ extensionDir: EXTENSION_DIR, userDataDir: profile }),
    // Harmless once the CA is trusted (there is no error to ignore); needed when certutil is missing.
    '--ignore-certificate-errors',
    ...(!process.env.DISPLAY && process.env.WAYLAND_DISPLAY ? ['--ozone-platform=wayland'] : []),
    '--new-window',
    index,
  ];
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, HOME: home };
  // X11 looks for its cookie in $HOME/.Xauthority: keep pointing at the real one.
  const realXauthority = path.join(os.homedir(), '.Xauthority');
  if (!env.XAUTHORITY && fs.existsSync(realXauthority)) env.XAUTHORITY = realXauthority;

  const logFile = path.join(TMP, 'chromium.log');
  const log = fs.openSync(logFile, 'w');
  browser = spawn(chromium, args, { env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  browser.once('error', (error) => {
    console.error(`Chromium could not be started: ${error.message}`);
    void stop(1);
  });
  browser.once('exit', (code, signal) => {
    if (stopping) return;
    console.log(
      `\nChromium exited (${signal ?? `code ${code}`}); its messages are in ${rel(logFile)}. Stopping the demo server.`,
    );
    void stop(code && code !== 0 ? 1 : 0);
  });

  console.log(`  Chromium:   ${chromium}`);
  console.log(
    `              with ${rel(EXTENSION_DIR)} loaded, a throw-away profile, and ${trusted ? 'the demo CA trusted' : 'certificate errors ignored'}`,
  );
  console.log(
    '\nIn Chromium: pick a case on the demo index, open DevTools (F12) and choose the "Report Inspector" panel;',
  );
  console.log('the toolbar button opens its popup. Crash a tab with chrome://crash to send a crash report.');
  console.log('Crash reports arrive within a second; other reports are batched and may take up to a minute.');
  console.log('\nPress Ctrl+C to stop Chromium and the demo server.\n');
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
