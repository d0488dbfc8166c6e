// Figures measured in Node on the product's own modules (bundled by bench/lib.mjs): the background's header
// handler with its real stores over an in-memory storage area, and what a busy hour leaves in a tab's storage.
import {
  handleHeadersReceived,
  type CaptureContext,
  type HeadersReceivedDetails,
} from '../entrypoints/background/header-capture';
import { createStores, tabKey } from '../entrypoints/background/tab-and-origin-stores';
import type { StorageAreaLike } from '../entrypoints/background/persisted-map';
import { applyPageEvents } from '../utils/tab/apply-page-events';
import { emptyTabState, type TabState } from '../utils/tab/types';
import type { PageEvent } from '../utils/page/events';
import { BREADCRUMB_BUFFER } from '../utils/storage/settings';

/** A storage area in memory that stores what `chrome.storage` would: a structured (JSON) copy. */
function memoryArea(): StorageAreaLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    async get(keys) {
      const out: Record<string, unknown> = {};
      for (const k of keys ?? [...data.keys()]) if (data.has(k)) out[k] = JSON.parse(data.get(k)!);
      return out;
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, JSON.stringify(v));
    },
    async remove(keys) {
      for (const k of keys) data.delete(k);
    },
  };
}

function context(opts: Parameters<typeof createStores>[2] = {}) {
  const session = memoryArea();
  const local = memoryArea();
  const stores = createStores(session, local, opts);
  const ctx: CaptureContext = { stores, now: () => Date.now(), tabChanged() {}, originChanged() {} };
  return { ctx, stores, session };
}

const PLAIN_HEADERS = [
  { name: 'content-type', value: 'application/json; charset=utf-8' },
  { name: 'cache-control', value: 'no-store' },
  { name: 'date', value: 'Sat, 21 Nov 2026 07:00:00 GMT' },
  { name: 'etag', value: 'W/"5d-1234567"' },
  { name: 'vary', value: 'Accept-Encoding, Origin' },
  { name: 'server', value: 'nginx' },
  { name: 'x-request-id', value: '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c' },
  { name: 'access-control-allow-origin', value: '*' },
  { name: 'strict-transport-security', value: 'max-age=63072000' },
  { name: 'content-length', value: '1234' },
];

const REPORTING_HEADERS = [
  ...PLAIN_HEADERS.slice(0, 6),
  {
    name: 'Report-To',
    value: '{"group":"default","max_age":86400,"endpoints":[{"url":"https://collector.example/reports"}]}',
  },
  { name: 'Reporting-Endpoints', value: 'default="https://collector.example/r", csp="/csp"' },
  { name: 'Content-Security-Policy', value: "default-src 'self'; report-to csp" },
];

/** Responses without any reporting header (sub-resources), per second, through `handleHeadersReceived`. */
/** CPU time of this process in ms (user + system): the machine is shared, so rates are per CPU second. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function plainResponsesPerSecond(ms = 600): number {
  const { ctx } = context();
  const details: HeadersReceivedDetails = {
    tabId: 7,
    frameId: 0,
    parentFrameId: -1,
    url: 'https://shop.example/api/items?page=2',
    type: 'xmlhttprequest',
    statusCode: 200,
    responseHeaders: PLAIN_HEADERS,
  };
  let n = 0;
  const t0 = performance.now();
  const c0 = cpuMs();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 1000; i++) {
      if (handleHeadersReceived(details, ctx) !== null) throw new Error('a plain response was not skipped');
    }
    n += 1000;
  }
  return (n / (cpuMs() - c0)) * 1000;
}

/**
 * Documents carrying Report-To and Reporting-Endpoints, parsed and stored, per second, over `tabs` tabs; and the
 * storage writes per tab per second while doing it (the stores coalesce them). Rates are per CPU second of this
 * process; the writes per wall-clock second, since the stores coalesce by time.
 */
export async function reportingResponsesPerSecond(
  count = 20_000,
  tabs = 4,
): Promise<{ perSecond: number; writesPerTabPerSecond: number; seconds: number; cpuSeconds: number }> {
  const { ctx, stores } = context();
  const t0 = performance.now();
  const c0 = cpuMs();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const p = handleHeadersReceived(
      {
        tabId: 100 + (i % tabs),
        frameId: 0,
        parentFrameId: -1,
        url: `https://shop.example/products/${i}`,
        type: 'main_frame',
        statusCode: 200,
        responseHeaders: REPORTING_HEADERS,
      },
      ctx,
    );
    if (!p) throw new Error('a reporting response was skipped');
    pending.push(p);
    // Events arrive over time, not all in one task: yield now and then, as the event loop would.
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 0));
  }
  // Settles once every document is stored (the last write included).
  await Promise.all(pending);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = (cpuMs() - c0) / 1000;
  await stores.tabs.flush();
  await stores.origins.flush();
  // A run shorter than a second still pays the first write at once: count per elapsed second, at least one second.
  const writesPerTabPerSecond = stores.tabs.writes / tabs / Math.max(1, seconds);
  return { perSecond: count / cpuSeconds, writesPerTabPerSecond, seconds, cpuSeconds };
}

/**
 * A busy page for `seconds` of simulated time: 20 breadcrumbs a second (clicks, console, network), a report every
 * 10 s, a navigation (document with reporting headers) every 30 s. Returns the tab's stored size in bytes.
 */
export async function busyTabBytes(
  seconds = 3600,
  maxBreadcrumbs: number = BREADCRUMB_BUFFER.default,
  breakdown?: Record<string, number>,
): Promise<number> {
  // Simulated time: the stores' coalescing runs on real timers, so it is off here (it changes writes, not bytes).
  const { ctx, stores, session } = context({ minIntervalMs: 0 });
  const tabId = 42;
  let now = Date.UTC(2026, 10, 21, 7);
  ctx.now = () => now;
  const key = tabKey(tabId);
  for (let s = 0; s < seconds; s++) {
    now += 1000;
    if (s % 30 === 0) {
      await handleHeadersReceived(
        {
          tabId,
          frameId: 0,
          parentFrameId: -1,
          url: `https://shop.example/step/${s}?session=abcdef0123456789`,
          type: 'main_frame',
          statusCode: 200,
          responseHeaders: REPORTING_HEADERS,
        },
        ctx,
      );
    }
    const events: PageEvent[] = [];
    for (let i = 0; i < 20; i++) {
      const k = s * 20 + i;
      const type = (['click', 'console', 'network', 'console'] as const)[k % 4]!;
      events.push({
        kind: 'breadcrumb',
        level: type === 'console' ? 'log' : undefined,
        crumb: {
          type,
          timestamp: now + i,
          message:
            type === 'click'
              ? `button#add-to-cart-${k % 97} "Add to cart"`
              : type === 'network'
                ? `GET https://api.shop.example/v2/catalogue/items/${k}?expand=price,stock 200`
                : `cart updated ${k} {"items":3,"total":"129.90","currency":"EUR","user":"[email]"}`,
          data: type === 'network' ? { method: 'GET', status: 200, durationMs: 12 + (k % 50) } : undefined,
        },
      });
    }
    if (s % 10 === 0) {
      events.push({
        kind: 'report',
        report: {
          type: 'deprecation',
          url: `https://shop.example/step/${s}`,
          body: {
            id: 'UnloadHandler',
            message: 'Unload event listeners are deprecated and will be removed.',
            sourceFile: 'https://shop.example/app.js',
            lineNumber: 120,
            columnNumber: 7,
          },
        },
      });
    }
    await stores.tabs.update(
      key,
      () => emptyTabState(tabId, now),
      (st: TabState) => applyPageEvents(st, 0, events, now, { maxBreadcrumbs, crashedRecently: false }),
    );
  }
  await stores.tabs.flush();
  // The tab's head and every part stored beside it (tab-layout.ts: chunks, documents, history).
  let bytes = 0;
  for (const [k, v] of session.data) {
    if (k !== key && !k.startsWith(`${key}:`)) continue;
    bytes += new TextEncoder().encode(v).length;
    if (breakdown) {
      const part = k === key ? 'head' : k.slice(key.length + 1).replace(/:\d+$/, '');
      breakdown[part] = (breakdown[part] ?? 0) + v.length;
    }
  }
  return bytes;
}
