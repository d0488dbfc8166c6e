/**
 * A collector's inbox (what it received) matched against what the extension predicted and observed in a tab.
 * Pure: the background fetches the inbox on the user's click and passes the parsed JSON here.
 *
 * The inbox format is the demo collector's `GET /reports`: `[{ receivedAt, endpoint, path, contentType, userAgent,
 * reports: [{ type, url, age, body, ... }] }]`. A report was generated about `receivedAt - age` ms: that is the
 * time matched against a crash's time (crash reports are uploaded within ~100 ms) or a live report's.
 */
import type { CrashDelivery, DeliveredReport } from './types';
import type { CrashEntry, CrashReportShape, TabState } from '@/utils/tab/types';
import type { LiveReport } from '@/utils/page/types';
import { scrub } from '@/utils/page/scrub';
import { boundedObject, cut, isObj } from '@/utils/page/untrusted';
import { crashReportOf, reportUrl, unpredictable } from '@/utils/tab/crash-report';

/** The collector the panel reads unless the user types another (the demo collector's default address). */
export const DEFAULT_INBOX_URL = 'https://127.0.0.1:8443/reports';

export const INBOX_LIMITS = {
  /** Bytes of inbox JSON read at most. */
  maxBytes: 5 * 1024 * 1024,
  uploads: 2000,
  reportsPerUpload: 200,
  /** A crash report generated within this much of the detected crash time is that crash's report. */
  crashWindowMs: 30_000,
  /** A live report and an uploaded one within this much of each other (after `age`) are the same report. */
  liveWindowMs: 60_000,
} as const;

export interface InboxReport {
  type: string;
  url: string;
  /** The browser's user agent, when the report says. */
  user_agent?: string;
  /** ms between the report's generation and its upload, when the report says. */
  age: number | null;
  body: Record<string, unknown>;
}

export interface InboxUpload {
  receivedAt: number;
  endpoint: string;
  path: string;
  reports: InboxReport[];
}

export interface ParsedInbox {
  uploads: InboxUpload[];
  /** Entries that were not uploads of the expected shape. */
  ignored: number;
}

/** Reads a collector's `GET /reports` JSON; anything that is not an upload of the expected shape is counted and skipped. */
export function parseInbox(raw: unknown): ParsedInbox {
  if (!Array.isArray(raw)) throw new Error('The inbox did not answer with a JSON array of uploads.');
  let ignored = 0;
  const uploads: InboxUpload[] = [];
  // Newest last in the demo collector: keep the newest when there are too many.
  for (const u of raw.slice(-INBOX_LIMITS.uploads)) {
    if (!isObj(u) || typeof u.receivedAt !== 'number' || !Number.isFinite(u.receivedAt) || !Array.isArray(u.reports)) {
      ignored++;
      continue;
    }
    const reports: InboxReport[] = [];
    for (const r of u.reports.slice(0, INBOX_LIMITS.reportsPerUpload)) {
      if (!isObj(r) || typeof r.type !== 'string') {
        // Legacy `application/csp-report` bodies ({"csp-report": {...}}) have no type: not matched here.
        ignored++;
        continue;
      }
      reports.push({
        type: cut(r.type, 200),
        url: cut(r.url, 4096),
        age: typeof r.age === 'number' && Number.isFinite(r.age) && r.age >= 0 ? r.age : null,
        ...(typeof r.user_agent === 'string' ? { user_agent: cut(r.user_agent, 1000) } : {}),
        // Kept with a crash record when it matches: bounded like a page's report body.
        body: isObj(r.body) ? boundedObject(r.body, 16 * 1024) : {},
      });
    }
    uploads.push({ receivedAt: u.receivedAt, endpoint: cut(u.endpoint, 200), path: cut(u.path, 2048), reports });
  }
  return { uploads, ignored };
}

/** What the inbox says about one predicted crash report. */
export interface CrashMatch {
  crashId: string;
  status: 'delivered' | 'not-seen' | 'will-not-be-sent';
  receivedAt?: number;
  endpointPath?: string;
  /** Why the report will not be sent (the prediction), for `will-not-be-sent`. */
  reason?: string;
  /** The delivered report, for `delivered`. */
  report?: DeliveredReport;
}

/** What the inbox says about one report the page observed (`ReportingObserver`). */
export interface LiveMatch {
  seq: number;
  type: string;
  url: string;
  status: 'delivered' | 'not-seen';
  receivedAt?: number;
  endpointPath?: string;
}

export interface InboxMatch {
  uploads: number;
  reports: number;
  crashReports: number;
  crashes: CrashMatch[];
  live: LiveMatch[];
}

/** A URL without its fragment (reports never carry one), for comparing. */
function sameDocumentUrl(a: string, b: string): boolean {
  const strip = (u: string) => {
    const i = u.indexOf('#');
    return i < 0 ? u : u.slice(0, i);
  };
  return strip(a) === strip(b);
}

/**
 * How a delivered crash report's URL matches a crash: 1 the URL at the crash, 2 the URL the document was loaded
 * with (records from before the URL was followed), 0 not at all. The extension keeps URLs scrubbed (as
 * breadcrumbs are), so the delivered URL is compared scrubbed too.
 */
function crashUrlMatch(url: string, crash: Pick<CrashEntry, 'url' | 'loadUrl'>): number {
  const seen = [url, scrub(url)];
  if (seen.some((u) => sameDocumentUrl(u, crash.url))) return 1;
  if (crash.loadUrl && seen.some((u) => sameDocumentUrl(u, crash.loadUrl!))) return 2;
  return 0;
}

interface Candidate {
  report: InboxReport;
  upload: InboxUpload;
  generatedAt: number;
  key: string;
}

function candidates(uploads: InboxUpload[]): Candidate[] {
  const out: Candidate[] = [];
  uploads.forEach((upload, u) =>
    upload.reports.forEach((report, r) =>
      out.push({ report, upload, generatedAt: upload.receivedAt - (report.age ?? 0), key: `${u}:${r}` }),
    ),
  );
  return out;
}

/** How many primitive fields two report bodies disagree on (fields present in both only). */
function bodyMismatches(a: Record<string, unknown>, b: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(a)) {
    if (!(k in b) || (typeof v === 'object' && v !== null)) continue;
    if (b[k] !== v) n++;
  }
  return n;
}

/**
 * Matches the inbox against a tab's crashes (by URL and time) and its live reports (by type, URL, time and body).
 * Each uploaded report is used once; the closest pairs (fewest differing body fields first, for live reports) win.
 */
export function matchInbox(
  uploads: InboxUpload[],
  crashes: readonly CrashEntry[],
  live: readonly LiveReport[],
  windows: { crashWindowMs?: number; liveWindowMs?: number } = {},
): InboxMatch {
  const crashWindow = windows.crashWindowMs ?? INBOX_LIMITS.crashWindowMs;
  const liveWindow = windows.liveWindowMs ?? INBOX_LIMITS.liveWindowMs;
  const all = candidates(uploads);
  const used = new Set<string>();

  // Closest pairs first, so a report goes to the crash (or live report) it is nearest to, whatever their order.
  const crashPairs: { crash: CrashEntry; c: Candidate; d: number; how: number }[] = [];
  for (const crash of crashes) {
    for (const c of all) {
      const how = c.report.type === 'crash' ? crashUrlMatch(c.report.url, crash) : 0;
      if (!how) continue;
      const d = Math.abs(c.generatedAt - crash.at);
      if (d <= crashWindow) crashPairs.push({ crash, c, d, how });
    }
  }
  // The URL at the crash before the load URL (a document may crash twice, once before a pushState), then time.
  crashPairs.sort((a, b) => a.how - b.how || a.d - b.d);
  const crashFound = takeBest(crashPairs, (p) => p.crash.id, used);
  const crashMatches: CrashMatch[] = [...crashes]
    .sort((a, b) => a.at - b.at)
    .map((crash) => {
      const found = crashFound.get(crash.id);
      if (found) {
        const r = found.report;
        const report: DeliveredReport = {
          age: r.age,
          type: r.type,
          url: r.url,
          body: r.body,
          ...(r.user_agent !== undefined ? { user_agent: r.user_agent } : {}),
        };
        return {
          crashId: crash.id,
          status: 'delivered' as const,
          receivedAt: found.upload.receivedAt,
          endpointPath: found.upload.path,
          report,
        };
      }
      const route = crash.predicted.route;
      return route.willDeliver
        ? { crashId: crash.id, status: 'not-seen' as const }
        : { crashId: crash.id, status: 'will-not-be-sent' as const, reason: route.reason ?? 'no endpoint' };
    });

  const livePairs: { report: LiveReport; c: Candidate; d: number; mismatches: number }[] = [];
  for (const report of live) {
    for (const c of all) {
      if (used.has(c.key) || c.report.type !== report.type || !sameDocumentUrl(c.report.url, report.url)) continue;
      const d = Math.abs(c.generatedAt - report.observedAt);
      if (d <= liveWindow) livePairs.push({ report, c, d, mismatches: bodyMismatches(report.body, c.report.body) });
    }
  }
  livePairs.sort((a, b) => a.mismatches - b.mismatches || a.d - b.d);
  const liveFound = takeBest(livePairs, (p) => p.report.seq, used);
  const liveMatches: LiveMatch[] = [...live]
    .sort((a, b) => a.observedAt - b.observedAt)
    .map((report) => {
      const base = { seq: report.seq, type: report.type, url: report.url };
      const found = liveFound.get(report.seq);
      if (!found) return { ...base, status: 'not-seen' as const };
      return {
        ...base,
        status: 'delivered' as const,
        receivedAt: found.upload.receivedAt,
        endpointPath: found.upload.path,
      };
    });

  return {
    uploads: uploads.length,
    reports: all.length,
    crashReports: all.filter((c) => c.report.type === 'crash').length,
    crashes: crashMatches,
    live: liveMatches,
  };
}

/** The delivery to keep on a crash entry for a match (a report that will not be sent and was not seen is `not-seen`). */
export function deliveryOf(match: CrashMatch, checkedAt: number, inboxUrl: string): CrashDelivery {
  if (match.status === 'delivered') {
    const d: CrashDelivery = { status: 'delivered', checkedAt, inboxUrl };
    if (match.receivedAt !== undefined) d.receivedAt = match.receivedAt;
    if (match.endpointPath !== undefined) d.endpointPath = match.endpointPath;
    if (match.report) d.report = match.report;
    return d;
  }
  return { status: 'not-seen', checkedAt, inboxUrl };
}

/**
 * Keeps the inbox's verdict on each crash of the tab. A crash once seen delivered stays delivered when a later
 * read of another (or a cleared) inbox does not show it.
 */
export function applyInboxMatch(state: TabState, match: InboxMatch, checkedAt: number, inboxUrl: string): TabState {
  const byId = new Map(match.crashes.map((m) => [m.crashId, m]));
  let changed = false;
  const crashes = state.crashes.map((c) => {
    const m = byId.get(c.id);
    if (!m) return c;
    if (m.status !== 'delivered' && c.delivery?.status === 'delivered') return c;
    changed = true;
    return { ...c, delivery: deliveryOf(m, checkedAt, inboxUrl) };
  });
  return changed ? { ...state, crashes } : state;
}

/** The crash's delivery in words: `delivered (received 12:03:04.120 at /reports/default)`, `not seen yet`, or why not. */
export function crashDeliveryText(
  crash: Pick<CrashEntry, 'delivery' | 'predicted'>,
  clock: (at: number) => string,
): { status: 'delivered' | 'not-seen' | 'will-not-be-sent' | 'unchecked'; text: string } {
  const d = crash.delivery;
  if (d?.status === 'delivered') {
    const when = d.receivedAt !== undefined ? `received ${clock(d.receivedAt)}` : 'received';
    return { status: 'delivered', text: `delivered (${when}${d.endpointPath ? ` at ${d.endpointPath}` : ''})` };
  }
  const route = crash.predicted.route;
  if (!route.willDeliver)
    return { status: 'will-not-be-sent', text: `will not be sent: ${route.reason ?? 'no endpoint'}` };
  if (d?.status === 'not-seen') return { status: 'not-seen', text: 'not seen yet' };
  return { status: 'unchecked', text: 'not seen yet' };
}

/**
 * One-to-one matching, greedy: `pairs` come best first; each goes through unless its candidate (an upload's report,
 * across calls sharing `used`) or its item (`keyOf`) was matched already.
 */
function takeBest<P extends { c: Candidate }, K>(
  pairs: readonly P[],
  keyOf: (p: P) => K,
  used: Set<string>,
): Map<K, Candidate> {
  const found = new Map<K, Candidate>();
  for (const p of pairs) {
    const k = keyOf(p);
    if (used.has(p.c.key) || found.has(k)) continue;
    used.add(p.c.key);
    found.set(k, p.c);
  }
  return found;
}

/** One field of a crash report, predicted beside delivered. */
export interface FieldComparison {
  /** `url`, `body.reason`, `body.crash_report_api.route`, … */
  path: string;
  /** JSON of the predicted value; undefined when the prediction has no such field. */
  predicted?: string;
  /** JSON of the delivered value; undefined when the delivered report has no such field. */
  delivered?: string;
  /**
   * `same`; `differs`; `missing` (predicted, not delivered); `unexpected` (delivered, not predicted);
   * `unpredictable` (a value not known before the crash, like `age` or a call stack: compared by presence);
   * `not-compared` (the prediction was kept before the field was modelled).
   */
  status: 'same' | 'differs' | 'missing' | 'unexpected' | 'unpredictable' | 'not-compared';
  /** Why a `same` needed a second look, or what a difference means. */
  note?: string;
}

const json = (v: unknown): string | undefined => (v === undefined ? undefined : JSON.stringify(v));

/** A page value kept scrubbed and capped is the delivered one when the delivered value, scrubbed and capped alike, equals it. */
function sameAsKept(kept: string, delivered: unknown): boolean {
  if (typeof delivered !== 'string') return false;
  const s = scrub(delivered);
  if (s === kept) return true;
  return kept.endsWith('…') && s.startsWith(kept.slice(0, -1));
}

/**
 * The prediction of `crash` beside the report a collector received, field by field: the report's fields, then
 * the body's, then each `crash_report_api` entry. Every difference is a row whose status is not `same`.
 */
export function compareCrashReport(
  crash: Pick<CrashEntry, 'predicted' | 'url' | 'context'>,
  delivered: DeliveredReport,
): FieldComparison[] {
  const predicted: CrashReportShape = crashReportOf(crash);
  const legacy = !crash.predicted.report;
  const loose = new Set(unpredictable(predicted));
  const rows: FieldComparison[] = [];
  const add = (path: string, p: unknown, d: unknown, opts: { kept?: boolean; notCompared?: boolean } = {}): void => {
    const row: FieldComparison = { path, status: 'same' };
    const pj = json(p);
    const dj = json(d);
    if (pj !== undefined) row.predicted = pj;
    if (dj !== undefined) row.delivered = dj;
    if (opts.notCompared) row.status = 'not-compared';
    else if (p === undefined && d === undefined) return;
    else if (p === undefined) row.status = 'unexpected';
    else if (d === undefined) row.status = 'missing';
    else if (loose.has(path)) row.status = 'unpredictable';
    else if (pj === dj) row.status = 'same';
    else if (opts.kept && typeof p === 'string' && sameAsKept(p, d)) {
      row.note = 'the delivered value, scrubbed like the page data Report Inspector keeps, is the same';
    } else row.status = 'differs';
    rows.push(row);
  };
  add('age', predicted.age, delivered.age ?? undefined);
  add('type', predicted.type, delivered.type);
  add('url', predicted.url, delivered.url === undefined ? undefined : reportUrl(delivered.url), { kept: true });
  add('user_agent', legacy ? undefined : predicted.user_agent, delivered.user_agent, {
    notCompared: legacy && delivered.user_agent !== undefined,
  });

  const pb = predicted.body as Record<string, unknown>;
  const db = delivered.body;
  const bodyKeys = ['crash_report_api', 'is_top_level', 'visibility_state', 'reason', 'stack'];
  for (const k of Object.keys(db)) if (!bodyKeys.includes(k)) bodyKeys.push(k);
  for (const k of bodyKeys) {
    if (k === 'crash_report_api') {
      const pa = pb.crash_report_api as Record<string, string> | undefined;
      const da = isObj(db.crash_report_api) ? db.crash_report_api : undefined;
      if (legacy) {
        if (da !== undefined) add('body.crash_report_api', undefined, da, { notCompared: true });
        continue;
      }
      if (pa === undefined || da === undefined) {
        add('body.crash_report_api', pa, db.crash_report_api);
        continue;
      }
      const inexact = new Set((crash.context?.entries ?? []).filter((e) => !e.exact).map((e) => e.key));
      const keys = [...new Set([...Object.keys(pa), ...Object.keys(da)])].sort();
      if (!keys.length) add('body.crash_report_api', pa, da);
      for (const key of keys) {
        add(
          `body.crash_report_api.${key}`,
          Object.hasOwn(pa, key) ? pa[key] : undefined,
          Object.hasOwn(da, key) ? da[key] : undefined,
          { kept: inexact.has(key) },
        );
      }
      continue;
    }
    add(`body.${k}`, pb[k], db[k]);
  }
  return rows;
}

/** True when no field of a comparison differs, is missing or is unexpected. */
export function comparisonMatches(rows: readonly FieldComparison[]): boolean {
  return rows.every((r) => r.status === 'same' || r.status === 'unpredictable' || r.status === 'not-compared');
}
