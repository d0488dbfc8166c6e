/**
 * One document's verdicts, derived once from its analysis: what each configuring header did (not sent, sent and
 * rejected and why, partly kept, kept), what applies to the document, which routes deliver, the problem counts and
 * one level. Every screen (badge, popup, Overview, History, the tab bar's counts, the export) reads these numbers,
 * so no two of them can disagree. Pure.
 */
import type { ApplicableGroup, Level, Route } from './types';
import type { DocumentAnalysis } from './routes';
import { originOfUrl } from '@/utils/display/format';
import type { Diagnostic, HeaderDiagnostic, NamedEndpoint, Severity } from '@/utils/headers/types';
import { DIAGNOSTIC_SEVERITY } from '@/utils/headers/diagnostics';
import { plural } from '@/utils/display/format';

/**
 * What a configuring header of the document came to:
 * - `not-sent`: the response did not carry it;
 * - `ignored`: sent, but Chromium reads no reporting header on this page (not HTTPS);
 * - `rejected`: sent, and nothing of it is kept (`why` says what Chromium objected to);
 * - `partial`: sent, some entries kept and some dropped (`why`);
 * - `kept`: sent and every entry kept;
 * - `removes`: `Report-To` only: every group it names has `max_age: 0`, which removes it from the origin.
 */
export type FateState = 'not-sent' | 'ignored' | 'rejected' | 'partial' | 'kept' | 'removes';

export interface HeaderFate {
  header: 'reporting-endpoints' | 'report-to';
  state: FateState;
  /** Entries Chromium keeps: endpoints of `Reporting-Endpoints`, groups of `Report-To`. */
  kept: number;
  /** Names of the kept entries, in order. */
  names: string[];
  /** `Report-To` groups this header removes (`max_age: 0`). */
  removed: string[];
  /** Why something was dropped: the header's first error, else its first warning. */
  why: string | null;
  /** The severity of that reason: the diagnostic's own, so every view shows the same one. */
  severity: 'error' | 'warning' | null;
  /** One line: `not sent`, `sent and rejected: …`, `sent, 1 kept (default); dropped: …`, `2 kept: default, csp`. */
  text: string;
}

export interface ProblemCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export interface DocumentVerdict {
  documentId: string;
  frameId: number;
  url: string;
  secure: boolean;
  reportingEndpoints: HeaderFate;
  reportTo: HeaderFate;
  /** `Reporting-Endpoints` entries Chromium keeps for the document. */
  endpoints: NamedEndpoint[];
  /** Live `Report-To` groups that serve the document (its origin's and parent domains' with include_subdomains). */
  groups: ApplicableGroup[];
  /** Of those, the groups another response set (not this document's own header). */
  groupsFromElsewhere: ApplicableGroup[];
  expiredGroups: ApplicableGroup[];
  /** Places a report of the document can go: kept endpoints plus live groups. The badge shows this number. */
  destinations: number;
  /** Every route: the configured ones, then deprecation, intervention and crash. */
  routes: Route[];
  /** Routes a header of the document configured (CSP, NEL, COOP, COEP, the policies, report-uri). */
  configuredRoutes: Route[];
  delivering: number;
  /** Routes that go nowhere (configured or implicit), with their reason. */
  failing: Route[];
  crash: Route;
  problems: ProblemCounts;
  /** Endpoint URLs the headers gave that Chromium drops because they are not HTTPS. */
  insecureEndpointUrls: string[];
  /** The document sent a configuring header, or a live group serves it. */
  configured: boolean;
  /** Reports of a configured kind (crash, or a configured route) go nowhere. */
  losesReports: boolean;
  /**
   * One level for the document: `error` when reports are lost, `warning` when a header has errors or warnings
   * (something sent was dropped) but every report has somewhere to go, `ok`, or `none` when nothing is configured.
   */
  level: Level;
}

const FIRST_LEVEL: Record<'error' | 'warning', number> = { error: 0, warning: 1 };

function reasonOf(diags: readonly HeaderDiagnostic[]): { why: string; severity: 'error' | 'warning' } | null {
  let best: HeaderDiagnostic | null = null;
  let level: 'error' | 'warning' = 'warning';
  for (const d of diags) {
    const sev = severityOf(d);
    if (sev === 'info') continue;
    if (!best || FIRST_LEVEL[sev] < FIRST_LEVEL[level]) {
      best = d;
      level = sev;
    }
  }
  return best ? { why: best.message, severity: level } : null;
}

function fateText(f: Omit<HeaderFate, 'text'>, unit: string): string {
  switch (f.state) {
    case 'not-sent':
      return 'not sent';
    case 'ignored':
      return `sent and ignored: ${f.why ?? 'the page is not HTTPS'}`;
    case 'rejected':
      return `sent and rejected: ${f.why ?? 'nothing usable'}`;
    case 'partial':
      return `sent, ${plural(f.kept, unit)} kept (${f.names.join(', ')}); dropped: ${f.why ?? 'see Problems'}`;
    case 'removes':
      return `removes ${f.removed.map((n) => `"${n}"`).join(', ')} (max_age 0)`;
    case 'kept':
      return `${plural(f.kept, unit)}: ${f.names.join(', ')}${f.severity ? ` (kept, with a ${f.severity}: see Problems)` : ''}`;
  }
}

/**
 * A diagnostic whose fault makes Chromium drop one entry (an endpoint or a group) while keeping the rest of the
 * header: read from the structured `dropped` fact the parsers give, not from their codes.
 */
const dropsEntry = (d: Diagnostic): boolean => d.dropped === 'endpoint' || d.dropped === 'group';

/** The one severity of a diagnostic: the code table's when the code is a parser's, else the diagnostic's own. */
export function severityOf(d: Diagnostic): Severity {
  return (DIAGNOSTIC_SEVERITY as Readonly<Record<string, Severity>>)[d.code] ?? d.severity;
}

function fate(
  header: HeaderFate['header'],
  a: DocumentAnalysis,
  kept: string[],
  removed: string[],
  unit: string,
): HeaderFate {
  const sent = a.document.headers.some((h) => h.name === header);
  const own = a.document.diagnostics.filter((d) => d.header === header);
  const r = reasonOf(own);
  const drop = reasonOf(own.filter(dropsEntry));
  // A fault that makes Chromium ignore the whole header is the reason it was rejected.
  const whole = reasonOf(own.filter((d) => d.ignored === true));
  let state: FateState;
  if (!sent) state = 'not-sent';
  else if (!a.secure) state = 'ignored';
  else if (kept.length === 0 && removed.length > 0 && !r) state = 'removes';
  else if (kept.length === 0) state = 'rejected';
  else if (drop) state = 'partial';
  else state = 'kept';
  // Rejected: the specific entry's fault says more than "no valid endpoint".
  const reason = state === 'partial' ? drop : state === 'rejected' ? (whole ?? drop ?? r) : null;
  const base = {
    header,
    state,
    kept: kept.length,
    names: kept,
    removed,
    why:
      state === 'ignored' ? 'the page is not HTTPS: Chromium reads no reporting header on it' : (reason?.why ?? null),
    // A header kept whole can still carry warnings (an uppercase name nothing can reference): their severity.
    severity:
      state === 'ignored'
        ? ('error' as const)
        : state === 'not-sent'
          ? null
          : (reason?.severity ?? r?.severity ?? (state === 'rejected' ? 'error' : null)),
  };
  return { ...base, text: fateText(base, unit) };
}

function countProblems(diags: readonly HeaderDiagnostic[]): ProblemCounts {
  const c = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diags) {
    const sev = severityOf(d);
    if (sev === 'error') c.errors++;
    else if (sev === 'warning') c.warnings++;
    else c.infos++;
  }
  return c;
}

/** Sum of problem counts over documents. */
export function sumProblems(list: readonly ProblemCounts[]): ProblemCounts {
  return list.reduce(
    (s, c) => ({ errors: s.errors + c.errors, warnings: s.warnings + c.warnings, infos: s.infos + c.infos }),
    { errors: 0, warnings: 0, infos: 0 },
  );
}

/**
 * The URL a dropped endpoint was written with, resolved against the document, when it is plain `http:` (Chromium
 * uploads only to secure endpoints). The excerpt is the value as written: a JSON or structured-field string.
 */
function insecureUrlOf(d: Diagnostic, base: string): string | null {
  if (d.dropped !== 'endpoint' || !d.excerpt) return null;
  let raw = d.excerpt;
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      raw = JSON.parse(raw) as string;
    } catch {
      raw = raw.slice(1, -1);
    }
  }
  try {
    const u = new URL(raw, base);
    return u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The verdicts of one analysed document. */
export function documentVerdict(a: DocumentAnalysis): DocumentVerdict {
  const doc = a.document;
  const live = a.groups.filter((g) => !g.expired);
  const expired = a.groups.filter((g) => g.expired);
  const own = originOfUrl(doc.url);
  const ownGroupNames = new Set(doc.reportTo?.groups.map((g) => g.name) ?? []);
  const fromElsewhere = live.filter((g) => !(g.origin === own && ownGroupNames.has(g.group.name)));
  const re = fate(
    'reporting-endpoints',
    a,
    a.endpoints.map((e) => e.name),
    [],
    'endpoint',
  );
  const rt = fate(
    'report-to',
    a,
    doc.reportTo?.groups.map((g) => g.name) ?? [],
    doc.reportTo?.removedGroups ?? [],
    'group',
  );
  const configuredRoutes = a.routes.filter((r) => r.header !== '(implicit)');
  const failing = a.routes.filter((r) => !r.willDeliver);
  const problems = countProblems(a.diagnostics);
  const insecure = new Set<string>();
  for (const d of doc.diagnostics) {
    const url = insecureUrlOf(d, doc.url);
    if (url) insecure.add(url);
  }
  const sentConfig = doc.headers.length > 0;
  const configured = sentConfig || live.length > 0;
  const losesReports = configured && (!a.crash.willDeliver || configuredRoutes.some((r) => !r.willDeliver));
  const level: Level = !configured
    ? 'none'
    : losesReports
      ? 'error'
      : problems.errors + problems.warnings > 0
        ? 'warning'
        : 'ok';
  return {
    documentId: doc.id,
    frameId: doc.frameId,
    url: doc.url,
    secure: a.secure,
    reportingEndpoints: re,
    reportTo: rt,
    endpoints: a.endpoints,
    groups: live,
    groupsFromElsewhere: fromElsewhere,
    expiredGroups: expired,
    destinations: a.endpoints.length + live.length,
    routes: a.routes,
    configuredRoutes,
    delivering: a.routes.length - failing.length,
    failing,
    crash: a.crash,
    problems,
    insecureEndpointUrls: [...insecure],
    configured,
    losesReports,
    level,
  };
}
