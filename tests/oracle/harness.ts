// Runs oracle cases in real Chromium and records what it did: the Reporting-Endpoints it registered (CDP
// Network.reportingApiEndpointsChangedForOrigin) and the order in which a CSP report reaches a Report-To group's
// endpoints (every collector answers 500, so Chromium moves on to the next endpoint).

import { chromium, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trustCa } from '../support/certs.mjs';
import { chromiumArgs, findChromium, HOST_RESOLVER_RULES } from '../support/chromium.mjs';
import { hostsForSlots, resolveCase, type OracleCase, type ResolvedCase } from './cases';
import { startOracleServer, type OracleServer } from './server';
import { makeCertificates } from './tls';

/** The fence every test browser here runs behind: nothing but loopback resolves (DESIGN.md "Testing notes"). */
export { HOST_RESOLVER_RULES };

/** What Chromium did for one case. */
export interface Observation {
  /** reporting-endpoints cases: the endpoints CDP reported for the document's origin (none: the header did nothing). */
  endpoints?: { name: string; url: string }[];
  /** report-to cases: every URL that received the CSP report, in the order Chromium tried them. */
  deliveries?: string[];
  /** The case could not be run as generated (for example a header value Node refuses to send). */
  skipped?: string;
}

export interface RunOptions {
  /** Cases per browser; Chromium keeps at most 100 queued reports and drops the rest silently, so stay well below. */
  perBrowser?: number;
  /** Pages running cases at the same time. */
  concurrency?: number;
  /** Hosts under public-suffix-list entries that cases serve from (mapped to loopback with --host-rules). */
  pslHosts?: string[];
  log?: (line: string) => void;
  /**
   * How many endpoints a case is expected to reach. Only the waiting uses it: a case short of it waits up to
   * {@link SLOW_WAIT_MS} before what arrived is taken as Chromium's answer, so a busy machine reads as slow, not
   * as a disagreement.
   */
  expectedDeliveries?: (c: ResolvedCase) => number;
}

/** A page load can take this long on a starved machine before the case counts as not run. */
const NAVIGATION_TIMEOUT_MS = 60_000;

/** The longest a report-to case waits for the deliveries it expects. */
export const SLOW_WAIT_MS = 8_000;

export interface CaseRun {
  resolved: ResolvedCase;
  observation: Observation;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The page that violates `script-src 'none'` once (an inline script), so one CSP report is queued. */
const VIOLATING_BODY = '<!doctype html><title>oracle</title><p>case</p><script>document.title = "ran"</script>';
const PLAIN_BODY = '<!doctype html><title>oracle</title><p>earlier response</p>';

/** Launch flags: the house set without the extension, the loopback fence, and reports uploaded in ~100 ms. */
function launchArgs(pslHosts: readonly string[], port: number): string[] {
  const base = chromiumArgs({ extensionDir: os.tmpdir(), headless: true, shortReportingDelay: true }).filter(
    (a) =>
      !a.startsWith('--disable-extensions-except=') &&
      !a.startsWith('--load-extension=') &&
      !a.startsWith('--host-resolver-rules='),
  );
  // Names under public suffixes resolve to 127.0.0.1 (and nothing else): their MAP rules come first, the fence after
  // them refuses every other name (net/dns/mapped_host_resolver.cc: the first matching MAP rule wins). The fence's
  // `MAP *` also catches IP literals other than 127.0.0.1 (net/base/host_mapping_rules.cc matches the pattern against
  // the bare host, `::1` for `https://[::1]:PORT`), so an upload to an IPv6 loopback endpoint failed to resolve and
  // Chromium went on to the next endpoint (case g16-0389): `::1` is loopback and stays allowed here.
  const mapped = pslHosts.map((h) => `MAP ${h} 127.0.0.1, `).join('');
  void port;
  return [...base, `--host-resolver-rules=${mapped}${HOST_RESOLVER_RULES}, EXCLUDE ::1`];
}

/** Runs `cases` and returns one observation each, in order. */
export async function runCases(cases: readonly OracleCase[], options: RunOptions = {}): Promise<CaseRun[]> {
  const perBrowser = options.perBrowser ?? 60;
  const concurrency = options.concurrency ?? 4;
  const pslHosts = options.pslHosts ?? [];
  const log = options.log ?? (() => {});
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'report-inspector-oracle-'));
  const certs = makeCertificates(path.join(work, 'certs'), hostsForSlots(perBrowser, pslHosts));
  const home = path.join(work, 'home');
  trustCa(home, certs.caCert);
  const server = await startOracleServer(certs);
  const out = new Array<CaseRun>(cases.length);
  try {
    for (let start = 0; start < cases.length; start += perBrowser) {
      const batch = cases.slice(start, start + perBrowser);
      const browser = await chromium.launch({
        executablePath: findChromium(),
        headless: true,
        args: launchArgs(pslHosts, server.port),
        env: { ...process.env, HOME: home },
      });
      try {
        const context = await browser.newContext();
        let next = 0;
        const worker = async () => {
          // One page and DevTools session per worker; a page whose navigation failed is replaced, so a stuck
          // error page cannot interrupt the next case.
          const endpointEvents = new Map<string, { url: string; groupName: string }[]>();
          const open = async () => {
            const page = await context.newPage();
            const cdp = await context.newCDPSession(page);
            cdp.on(
              'Network.reportingApiEndpointsChangedForOrigin',
              (e: { origin: string; endpoints: { url: string; groupName: string }[] }) => {
                if (!endpointEvents.has(e.origin)) endpointEvents.set(e.origin, e.endpoints);
              },
            );
            await cdp.send('Network.enable');
            await cdp.send('Network.enableReportingApi', { enable: true });
            return page;
          };
          let page = await open();
          for (;;) {
            const i = next++;
            if (i >= batch.length) break;
            const slot = i;
            const c = batch[i]!;
            const sharedPort = c.responses.some((r) => r.host === 'ip' || r.host === 'localhost')
              ? await server.extraPort()
              : server.port;
            const resolved = resolveCase(c, { slot, port: server.port, sharedPort, host: `c${slot}.localhost` });
            const observation = await runOne(
              page,
              endpointEvents,
              server,
              resolved,
              options.expectedDeliveries?.(resolved) ?? 0,
            ).catch((e: unknown): Observation => ({
              skipped: `the page failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
            }));
            out[start + i] = { resolved, observation };
            if (observation.skipped) {
              await page.close().catch(() => {});
              page = await open();
            }
          }
          await page.close();
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
      } finally {
        await browser.close();
      }
      log(`oracle: ${Math.min(start + perBrowser, cases.length)}/${cases.length} cases run`);
    }
  } finally {
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return out;
}

async function runOne(
  page: Page,
  endpointEvents: Map<string, { url: string; groupName: string }[]>,
  server: OracleServer,
  c: ResolvedCase,
  expected: number,
): Promise<Observation> {
  const last = c.responses.length - 1;
  try {
    c.responses.forEach((r, i) => {
      server.serve(new URL(r.url).pathname, {
        headers: r.headers,
        body: i === last ? (c.body ?? VIOLATING_BODY) : PLAIN_BODY,
      });
    });
  } catch (e) {
    return { skipped: `not servable: ${e instanceof Error ? e.message : String(e)}` };
  }
  for (const r of c.responses) {
    try {
      await page.goto(r.url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
    } catch (e) {
      return { skipped: `navigation failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
    }
  }
  const docOrigin = new URL(c.responses[last]!.url).origin;
  if (c.source.kind === 'reporting-endpoints') {
    const fromEvent = () => endpointEvents.get(docOrigin)?.map((e) => ({ name: e.groupName, url: e.url }));
    for (let waited = 0; waited < 300 && !fromEvent(); waited += 25) await sleep(25);
    if (!fromEvent()) {
      // A fence: a document on a fresh origin with a valid header. Its event comes after any event of the case's
      // document, so once it is here, "no event" means the case's header registered nothing.
      const fenceOrigin = `https://f${c.hosts.slot}.localhost:${c.hosts.port}`;
      server.serve(`/fence/${c.source.id}`, {
        headers: [{ name: 'Reporting-Endpoints', value: `fence="/fence/${c.source.id}"` }],
        body: PLAIN_BODY,
      });
      await page.goto(`${fenceOrigin}/fence/${c.source.id}`, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
      for (let waited = 0; waited < 10_000 && !endpointEvents.has(fenceOrigin); waited += 25) await sleep(25);
      if (!endpointEvents.has(fenceOrigin)) return { skipped: 'the fence document registered no endpoint either' };
    }
    await page.goto('about:blank', { timeout: NAVIGATION_TIMEOUT_MS });
    return { endpoints: fromEvent() ?? [] };
  }
  // Report-to: wait until uploads to this case's collectors have been quiet for a while (each failed upload is
  // retried on the next ~100 ms delivery tick), and, while fewer endpoints than expected were reached, longer.
  const type = c.source.reportType ?? 'csp-violation';
  const delivered = () => {
    const urls: string[] = [];
    for (const u of server.uploads(c.pathPrefix)) {
      if (u.reports.some((r) => r.type === type) && !urls.includes(u.url)) urls.push(u.url);
    }
    return urls;
  };
  const started = Date.now();
  let lastCount = 0;
  let lastChange = Date.now();
  for (;;) {
    await sleep(50);
    const n = server.uploads(c.pathPrefix).length;
    if (n !== lastCount) {
      lastCount = n;
      lastChange = Date.now();
    }
    const elapsed = Date.now() - started;
    const settled = elapsed > 1_200 && Date.now() - lastChange > 700;
    if (settled && (delivered().length >= expected || elapsed > SLOW_WAIT_MS)) break;
  }
  await page.goto('about:blank', { timeout: NAVIGATION_TIMEOUT_MS });
  return { deliveries: delivered() };
}
