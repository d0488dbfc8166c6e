// Finding and launching the Chromium that the demo and the end-to-end tests use.

import fs from 'node:fs';
import path from 'node:path';

/** Where Chromium is usually installed, best first (`/usr/bin/chromium` is Debian's wrapper, which adds flags). */
export const CHROMIUM_CANDIDATES = Object.freeze([
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
]);

/** @param {string} file */
function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Path of the Chromium executable: `$CHROMIUM_PATH` when set, else the first of {@link CHROMIUM_CANDIDATES} found.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 * @throws {Error} saying how to install Chromium when none is found
 */
export function findChromium(env = process.env) {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (isExecutable(fromEnv)) return path.resolve(fromEnv);
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which is not an executable file.`);
  }
  const found = CHROMIUM_CANDIDATES.find(isExecutable);
  if (found) return found;
  throw new Error(
    [
      'Chromium was not found (looked for ' + CHROMIUM_CANDIDATES.join(', ') + ').',
      'Install it with: sudo apt-get install -y chromium',
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    ].join('\n'),
  );
}

/**
 * Fences a test browser to loopback: Chromium calls Google's hosts on its own (accounts, updates) even with
 * `--disable-background-networking`; every other name resolves to nothing.
 */
export const HOST_RESOLVER_RULES = 'MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost, EXCLUDE *.localhost';

/**
 * Command-line flags for a quiet, throw-away Chromium with one unpacked extension loaded.
 * `userDataDir` is for direct launches only: Playwright's `launchPersistentContext` sets the profile itself.
 * `shortReportingDelay` uploads queued reports within ~100 ms instead of batching them for up to a minute (the
 * switch Chromium's own web tests use); leave it off to see Chromium's real timing.
 * `otherExtensionDirs`: more unpacked extensions to load beside it (tests of what another extension can do).
 * @param {{ extensionDir: string; headless?: boolean; userDataDir?: string; shortReportingDelay?: boolean; otherExtensionDirs?: string[] }} options
 * @returns {string[]}
 */
export function chromiumArgs({
  extensionDir,
  headless = false,
  userDataDir,
  shortReportingDelay = false,
  otherExtensionDirs = [],
}) {
  const dir = [extensionDir, ...otherExtensionDirs].map((d) => path.resolve(d)).join(',');
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-default-apps',
    // Reports are uploaded over TCP to the local collector; QUIC would only add attempts that can never succeed.
    '--disable-quic',
    `--host-resolver-rules=${HOST_RESOLVER_RULES}`,
    `--disable-extensions-except=${dir}`,
    `--load-extension=${dir}`,
    ...(shortReportingDelay ? ['--short-reporting-delay'] : []),
    ...(headless ? ['--headless=new'] : []),
    ...(userDataDir ? [`--user-data-dir=${path.resolve(userDataDir)}`] : []),
  ];
}
