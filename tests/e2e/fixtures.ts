// Playwright fixtures: real Chromium with the built extension, the local demo site with a trusted certificate, and
// helpers to reach the extension's service worker and the demo collector.
//
// Worker-scoped (one per worker, shared by its tests): `demo`, `browserHome`, `extensionContext`, `extensionId`, and the
// option `shortReportingDelay`.
// Test-scoped: `context` (the worker's extension context), `page` (a fresh tab, closed after the test),
// `serviceWorker`, `stopServiceWorker`, `wakeServiceWorker`, `tabIdOf`, `openExtensionPage`.

import { test as base, chromium, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer, type CollectedUpload, type DemoServer } from '../demo/server.mjs';
import { trustCa } from '../support/certs.mjs';
import { chromiumArgs, findChromium } from '../support/chromium.mjs';

export { expect };
export type { CollectedUpload, DemoServer };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The unpacked extension the tests load: `$EXTENSION_DIR`, else the WXT build output. */
export const EXTENSION_DIR = path.resolve(ROOT, process.env.EXTENSION_DIR ?? '.output/chrome-mv3');

/** The deep-capture flavour (`npm run build:deep`), which declares the `debugger` permission. */
export const DEEP_EXTENSION_DIR = path.resolve(ROOT, process.env.DEEP_EXTENSION_DIR ?? '.output/chrome-mv3-deep');

/** One report as Chromium uploads it (`application/reports+json` items). */
export type UploadedReport = {
  type: string;
  url: string;
  age?: number;
  user_agent?: string;
  body?: Record<string, unknown>;
  [key: string]: unknown;
};

type WorkerFixtures = {
  /**
   * Option: start Chromium with `--short-reporting-delay`, so queued reports are uploaded within ~100 ms instead of
   * being batched for up to a minute. On by default to keep the suite fast; `test.use({ shortReportingDelay: false })`
   * gives Chromium's real timing (in a browser of its own).
   */
  shortReportingDelay: boolean;
  /** The unpacked extension to load: {@link EXTENSION_DIR} unless a spec asks for another (`test.use`). */
  extensionDir: string;
  /** Option: more unpacked extensions loaded beside it (none by default). */
  otherExtensionDirs: string[];
  /** Keep Chromium's back/forward cache on (Playwright turns it off by default): `test.use({ backForwardCache: true })`. */
  backForwardCache: boolean;
  /** The demo site and collector on random ports, with its throw-away certificates. */
  demo: DemoServer;
  /** A private HOME whose NSS database trusts the demo CA, so Chromium delivers `Report-To` reports too. */
  browserHome: string;
  /** Chromium (headless unless HEADED=1) with the extension loaded, warmed up. */
  extensionContext: BrowserContext;
  extensionId: string;
};

type TestFixtures = {
  /** The extension's service worker, started if it was stopped. */
  serviceWorker: Worker;
  /**
   * Stops every service worker of the profile (CDP `ServiceWorker.stopAllWorkers`) and waits until the extension's
   * has stopped; with `wake` (the default) starts it again and returns it.
   */
  stopServiceWorker: (options?: { wake?: boolean }) => Promise<Worker | null>;
  /** Starts the extension's service worker if it is stopped, warms it up, and returns it. */
  wakeServiceWorker: () => Promise<Worker>;
  /** The `chrome.tabs` id of a page, as the extension sees it. */
  tabIdOf: (page: Page) => Promise<number>;
  /** Opens `chrome-extension://<id>/<path>` in a new tab (closed after the test). */
  openExtensionPage: (pathAndQuery: string) => Promise<Page>;
};

/**
 * The id Chromium gives an unpacked extension: derived from the manifest's `key` when it has one, else from the
 * directory's absolute path (SHA-256, first 32 hex digits written with the letters a–p).
 */
export function extensionIdOf(dir: string): string {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(
      `No built extension at ${dir} (manifest.json is missing). Run \`npm run build\` first, or set EXTENSION_DIR.`,
    );
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { key?: unknown };
  const source = typeof manifest.key === 'string' ? Buffer.from(manifest.key, 'base64') : fs.realpathSync(dir);
  return [...createHash('sha256').update(source).digest('hex').slice(0, 32)]
    .map((digit) => String.fromCharCode(97 + parseInt(digit, 16)))
    .join('');
}

/** Waits for the extension's service worker: already known, or the next one to start. */
async function extensionWorker(context: BrowserContext, extensionId: string, timeout = 10_000): Promise<Worker> {
  const prefix = `chrome-extension://${extensionId}/`;
  const known = context.serviceWorkers().find((w) => w.url().startsWith(prefix));
  if (known) return known;
  return context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(prefix), timeout });
}

/** Rejects after `ms`: a stopped worker's `evaluate` would otherwise wait for it forever. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A tab that no test closes: Chromium quits when its last tab closes, and CDP sessions need a page. */
const keepers = new WeakMap<BrowserContext, Page>();

/**
 * Makes the context's first tab (or a new one) its fixture tab, and warms the worker up: for a context launched
 * elsewhere (devtools-fixtures.ts), so that `wakeServiceWorker`, `stopServiceWorker` and `tabIdOf` work on it too.
 */
export async function keepFixtureTab(context: BrowserContext, demo: DemoServer): Promise<void> {
  const keeper = context.pages()[0] ?? (await context.newPage());
  keepers.set(context, keeper);
  await warmUp(keeper, demo);
}

function keeperOf(context: BrowserContext): Page {
  const keeper = keepers.get(context);
  if (!keeper || keeper.isClosed()) throw new Error('The fixture tab used to reach the DevTools protocol was closed.');
  return keeper;
}

type WorkerVersion = {
  scriptURL: string;
  runningStatus: 'stopped' | 'starting' | 'running' | 'stopping';
  status: string;
};

/**
 * Drives the extension's service worker through the DevTools protocol's ServiceWorker domain. Playwright keeps the
 * same `Worker` object across a stop and a start (its `close` event only fires at shutdown), so the running state
 * is read from `ServiceWorker.workerVersionUpdated` instead. Resolves to true when it had to start the worker.
 */
async function controlServiceWorker(
  context: BrowserContext,
  extensionId: string,
  action: 'stop' | 'start',
): Promise<boolean> {
  const prefix = `chrome-extension://${extensionId}/`;
  const cdp = await context.newCDPSession(keeperOf(context));
  let status: WorkerVersion['runningStatus'] | undefined;
  const listeners = new Set<() => void>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: WorkerVersion[] }) => {
    const ours = versions.filter((v) => v.scriptURL.startsWith(prefix) && v.status !== 'redundant');
    const latest = ours.at(-1);
    if (!latest) return;
    status = latest.runningStatus;
    for (const listener of listeners) listener();
  });
  const current = () => status;
  const until = (done: (s: typeof status) => boolean, ms: number, what: string) =>
    withTimeout(
      new Promise<void>((resolve) => {
        const check = () => {
          if (done(status)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
      }),
      ms,
      what,
    );
  try {
    await cdp.send('ServiceWorker.enable'); // reports every registration's current state
    await until((s) => s !== undefined, 5_000, 'Reading the service worker state');
    if (action === 'stop') {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await until((s) => s === 'stopped', 10_000, 'Stopping the service worker');
      return false;
    }
    if (current() === 'running') return false;
    if (current() === 'stopping') await until((s) => s === 'stopped', 10_000, 'Stopping the service worker');
    if (current() === 'stopped') await cdp.send('ServiceWorker.startWorker', { scopeURL: prefix });
    await until((s) => s === 'running', 15_000, 'Starting the service worker');
    return true;
  } finally {
    listeners.clear();
    await cdp.detach().catch(() => {});
  }
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  shortReportingDelay: [true, { scope: 'worker', option: true }],
  extensionDir: [EXTENSION_DIR, { scope: 'worker', option: true }],
  otherExtensionDirs: [[], { scope: 'worker', option: true }],
  backForwardCache: [false, { scope: 'worker', option: true }],

  demo: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from its first parameter's destructuring, and this one needs none
    async ({}, use) => {
      const demo = await startDemoServer({ quiet: !process.env.DEMO_VERBOSE });
      try {
        await use(demo);
      } finally {
        await demo.close();
      }
    },
    { scope: 'worker' },
  ],

  browserHome: [
    async ({ demo }, use) => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'report-inspector-home-'));
      try {
        trustCa(home, demo.certs.caCert);
        await use(home);
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],

  extensionContext: [
    async (
      { demo, browserHome, shortReportingDelay, extensionId, extensionDir, otherExtensionDirs, backForwardCache },
      use,
    ) => {
      const headless = !process.env.HEADED;
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-inspector-profile-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: findChromium(),
        headless,
        args: chromiumArgs({ extensionDir, headless, shortReportingDelay, otherExtensionDirs }),
        env: { ...process.env, HOME: browserHome },
        ignoreDefaultArgs: [
          '--disable-extensions',
          '--disable-component-extensions-with-background-pages',
          ...(backForwardCache ? ['--disable-back-forward-cache'] : []),
        ],
        viewport: { width: 1280, height: 800 },
      });
      try {
        await extensionWorker(context, extensionId, 15_000).catch(() => {
          throw new Error(
            `The extension in ${extensionDir} started no service worker. Is it built, with a background script?`,
          );
        });
        await keepFixtureTab(context, demo);
        await use(context);
      } finally {
        await context.close().catch(() => {});
        fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  extensionId: [
    async ({ extensionDir }, use) => {
      await use(extensionIdOf(extensionDir));
    },
    { scope: 'worker' },
  ],

  context: async ({ extensionContext }, use) => {
    await use(extensionContext);
  },

  // A fresh tab per test; every tab the test opened is closed afterwards, so tests do not see each other's tabs.
  page: async ({ context }, use) => {
    const before = new Set(context.pages());
    const page = await context.newPage();
    await use(page);
    const keeper = keepers.get(context);
    await Promise.all(
      context
        .pages()
        .filter((p) => !before.has(p) && p !== keeper)
        .map((p) => p.close().catch(() => {})),
    );
  },

  wakeServiceWorker: async ({ context, extensionId, demo }, use) => {
    await use(async () => {
      const started = await controlServiceWorker(context, extensionId, 'start');
      const worker = await extensionWorker(context, extensionId);
      await withTimeout(
        worker.evaluate(() => true),
        10_000,
        'Reaching the service worker',
      );
      if (started) await warmUp(keeperOf(context), demo);
      return worker;
    });
  },

  serviceWorker: async ({ wakeServiceWorker }, use) => {
    await use(await wakeServiceWorker());
  },

  stopServiceWorker: async ({ context, extensionId, wakeServiceWorker }, use) => {
    await use(async ({ wake = true } = {}) => {
      await controlServiceWorker(context, extensionId, 'stop');
      return wake ? wakeServiceWorker() : null;
    });
  },

  tabIdOf: async ({ wakeServiceWorker }, use) => {
    await use(async (page) => {
      await page.bringToFront();
      const worker = await wakeServiceWorker();
      const url = page.url();
      const tabs = await withTimeout(
        worker.evaluate(async (target: string) => {
          type Tab = { id?: number; url?: string; active: boolean };
          const api = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Tab[]> } } }).chrome;
          const all = await api.tabs.query({});
          return all.filter((t) => t.url === target).map((t) => ({ id: t.id, active: t.active }));
        }, url),
        10_000,
        'chrome.tabs.query in the service worker',
      );
      const match = tabs.length === 1 ? tabs[0] : tabs.find((t) => t.active);
      if (match?.id === undefined) {
        throw new Error(`No single tab has the URL ${url} (${tabs.length} found); open it in one tab only.`);
      }
      return match.id;
    });
  },

  openExtensionPage: async ({ context, extensionId }, use) => {
    await use(async (pathAndQuery) => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${pathAndQuery.replace(/^\//, '')}`);
      return page; // closed with the test's other tabs by the `page` fixture
    });
  },
});

/**
 * The first navigation right after the service worker starts can be missed by its listeners: navigate once in the
 * fixture tab (to the demo index, which sends no reporting headers) before any test relies on them.
 */
async function warmUp(keeper: Page, demo: DemoServer): Promise<void> {
  await keeper.goto(`${demo.origin}/`);
  await keeper.goto('about:blank');
}

// ---- the demo collector ------------------------------------------------------------------------------------------

/** Sends a request to the demo server over HTTPS, trusting only its throw-away CA. */
function request(demo: DemoServer, method: string, pathAndQuery: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(pathAndQuery, demo.origin),
      { method, ca: fs.readFileSync(demo.certs.caCert), timeout: 5_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${pathAndQuery} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Everything the collector has received (`GET /reports`), oldest first. */
export async function collectedUploads(demo: DemoServer): Promise<CollectedUpload[]> {
  const { status, body } = await request(demo, 'GET', '/reports');
  if (status !== 200) throw new Error(`GET /reports answered ${status}`);
  return JSON.parse(body) as CollectedUpload[];
}

/** Every report received, flattened, with the upload it came in. */
export async function collectedReports(
  demo: DemoServer,
): Promise<{ report: UploadedReport; upload: CollectedUpload }[]> {
  return (await collectedUploads(demo)).flatMap((upload) =>
    (upload.reports as UploadedReport[]).map((report) => ({ report, upload })),
  );
}

/** Empties the collector (`DELETE /reports`) and the CrashSense inbox. */
export async function clearCollector(demo: DemoServer): Promise<void> {
  await request(demo, 'DELETE', '/reports');
  await request(demo, 'DELETE', '/api/crashes');
}

/**
 * Polls the collector until a report matches; match on the page URL too, since reports of earlier tests can arrive
 * late (Chromium keeps a report with no endpoint for up to 15 minutes and uploads it once the origin gets one).
 * With the `shortReportingDelay` option (the default) reports arrive within ~100 ms; without it Chromium uploads a
 * report at once only if nothing was uploaded in the last minute, else with the next batch, so pass a `timeout`
 * above 60 s. Crash reports arrive within ~100 ms either way.
 */
export async function waitForReport(
  demo: DemoServer,
  predicate: (report: UploadedReport, upload: CollectedUpload) => boolean,
  { timeout = 15_000, interval = 100 }: { timeout?: number; interval?: number } = {},
): Promise<{ report: UploadedReport; upload: CollectedUpload }> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = (await collectedReports(demo)).find(({ report, upload }) => predicate(report, upload));
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = (await collectedReports(demo)).map(({ report, upload }) => `${report.type} → ${upload.path}`);
      throw new Error(
        `No matching report within ${timeout} ms. Received: ${seen.length ? seen.join(', ') : 'nothing'}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Bodies POSTed to the demo's `/api/crashes` (CrashSense reports, batches, beacons). */
export async function collectedCrashes(demo: DemoServer): Promise<DemoServer['crashes']> {
  const { status, body } = await request(demo, 'GET', '/api/crashes');
  if (status !== 200) throw new Error(`GET /api/crashes answered ${status}`);
  return JSON.parse(body) as DemoServer['crashes'];
}
