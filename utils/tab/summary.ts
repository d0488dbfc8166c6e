/** Derives what the popup and the toolbar badge show for a tab. Pure. */
import type { Level, Route, SummaryLine, TabSummary, TabView } from './types';
import { analyseDocument, type DocumentAnalysis } from './routes';
import { formatDuration, isBrowserPage } from '@/utils/display/format';

export const BADGE_COLORS = { ok: '#1a73e8', warning: '#e37400', error: '#d93025', none: '#5f6368' } as const;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function crashText(r: Route): string {
  return r.willDeliver ? `crash reports → ${r.endpointName} → ${r.url}` : `crash reports will not be sent: ${r.reason}`;
}

/** The top document's analysis at `now`, or null when no response has been seen for the tab. */
export function topAnalysis(view: TabView | null, now: number): DocumentAnalysis | null {
  const top = view?.state.documents['0'];
  return top ? analyseDocument(top, view.origins, now) : null;
}

const NO_CRASH_ROUTE = (reason: string): Route => ({
  reportType: 'crash', endpointName: null, url: null, via: null, header: '(implicit)', detail: 'crash-reporting, else default',
  reportOnly: false, willDeliver: false, reason,
});

/** The popup's and badge's view of a tab. `tabUrl` is the tab's current URL as the browser reports it. */
export function summarizeTab(view: TabView | null, tabUrl: string, now: number): TabSummary {
  const lastCrash = view?.state.crashes[0] ?? null;
  const base = { tabId: view?.tabId ?? -1, url: tabUrl, endpoints: 0, groups: 0, soonestExpiry: null, routes: 0, problems: { errors: 0, warnings: 0 }, lines: [] as SummaryLine[], lastCrash };

  if (tabUrl !== '' && isBrowserPage(tabUrl)) {
    return {
      ...base, kind: 'browser-page',
      headline: 'This is a browser page: it sends no reports and extensions cannot inspect it.',
      crash: NO_CRASH_ROUTE('browser pages send no reports'),
      badge: { text: '', color: BADGE_COLORS.none },
    };
  }
  const a = topAnalysis(view, now);
  if (tabUrl.startsWith('http:')) {
    return {
      ...base, kind: 'insecure',
      headline: 'This page is not HTTPS: Chromium ignores its reporting headers and sends no reports (http://localhost included).',
      crash: NO_CRASH_ROUTE('the page is not HTTPS'),
      lines: a ? linesFor(a, now) : [],
      problems: a ? countProblems(a) : base.problems,
      badge: { text: '!', color: BADGE_COLORS.warning },
    };
  }
  if (!a) {
    return {
      ...base, kind: 'unknown',
      headline: 'No response seen for this tab yet. Reload the page to capture its headers.',
      crash: NO_CRASH_ROUTE('no response seen yet'),
      badge: { text: '', color: BADGE_COLORS.none },
    };
  }
  const live = a.groups.filter((g) => !g.expired);
  const soonest = live.reduce<number | null>((m, g) => (m === null || g.group.expiresAt < m ? g.group.expiresAt : m), null);
  const problems = countProblems(a);
  const configuredRoutes = a.routes.filter((r) => r.header !== '(implicit)');
  // Nothing configured: the document sent no reporting header and no live Report-To group serves it (notes left
  // by another response of the origin, such as a removal, do not count).
  const configures = a.document.headers.some((h) => h.name === 'reporting-endpoints' || h.name === 'report-to' || h.name === 'nel');
  const nothing = !configures && live.length === 0 && configuredRoutes.length === 0;
  // The badge counts every endpoint a report can go to: Reporting-Endpoints plus the endpoints of live groups.
  const endpointCount = a.endpoints.length + live.reduce((n, g) => n + g.group.endpoints.length, 0);
  const reach = plural(endpointCount, 'endpoint');
  const broken = !a.crash.willDeliver || configuredRoutes.some((r) => !r.willDeliver);
  const level: Level = problems.errors > 0 || broken ? 'warning' : 'ok';
  return {
    ...base,
    kind: nothing ? 'nothing-configured' : 'configured',
    headline: nothing
      ? 'Nothing configured: this page sends no reporting headers, so crash and other reports go nowhere.'
      : a.crash.willDeliver
        ? `Reporting is configured (${reach}): crash reports go to "${a.crash.endpointName}".`
        : `Reporting is configured (${reach}), but crash reports will not be sent.`,
    endpoints: a.endpoints.length,
    groups: live.length,
    soonestExpiry: soonest,
    routes: configuredRoutes.length,
    problems,
    crash: a.crash,
    lines: linesFor(a, now),
    badge: nothing
      ? { text: '', color: BADGE_COLORS.none }
      : { text: endpointCount > 99 ? '99+' : String(endpointCount), color: level === 'ok' ? BADGE_COLORS.ok : BADGE_COLORS.warning },
  };
}

function countProblems(a: DocumentAnalysis): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of a.diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

function linesFor(a: DocumentAnalysis, now: number): SummaryLine[] {
  const live = a.groups.filter((g) => !g.expired);
  const expired = a.groups.filter((g) => g.expired);
  const soonest = live.reduce<number | null>((m, g) => (m === null || g.group.expiresAt < m ? g.group.expiresAt : m), null);
  const reDiags = a.diagnostics.filter((d) => d.header === 'reporting-endpoints' && d.severity !== 'info');
  const rtDiags = a.diagnostics.filter((d) => d.header === 'report-to' && d.severity !== 'info');
  const hasRe = a.document.headers.some((h) => h.name === 'reporting-endpoints');
  const configured = a.routes.filter((r) => r.header !== '(implicit)');
  const failing = configured.filter((r) => !r.willDeliver);
  const problems = countProblems(a);
  return [
    {
      key: 'reporting-endpoints',
      label: 'Reporting-Endpoints',
      value: plural(a.endpoints.length, 'endpoint'),
      verdict: !hasRe
        ? 'not sent by this page'
        : a.endpoints.length === 0
          ? `none usable: ${reDiags[0]?.message ?? 'see Problems'}`
          : reDiags.length > 0
            ? `${a.endpoints.map((e) => e.name).join(', ')}; ${plural(reDiags.length, 'problem')}`
            : a.endpoints.map((e) => e.name).join(', '),
      level: !hasRe ? 'none' : a.endpoints.length === 0 ? 'error' : reDiags.length > 0 ? 'warning' : 'ok',
    },
    {
      key: 'report-to',
      label: 'Report-To',
      value: plural(live.length, 'group'),
      verdict:
        live.length > 0
          ? `${live.map((g) => g.group.name).join(', ')}; soonest ${soonest !== null ? `expires in ${formatDuration(soonest - now)}` : ''}`
          : expired.length > 0
            ? `${plural(expired.length, 'group')} expired`
            : rtDiags.length > 0
              ? `ignored: ${rtDiags[0]!.message}`
              : 'no groups for this origin',
      level: live.length > 0 ? (rtDiags.length > 0 ? 'warning' : 'ok') : expired.length > 0 || rtDiags.length > 0 ? 'warning' : 'none',
    },
    {
      key: 'crash',
      label: 'Crash reports',
      value: a.crash.willDeliver ? `→ ${a.crash.endpointName}` : 'not sent',
      verdict: a.crash.willDeliver ? `${a.crash.url}` : `${a.crash.reason}`,
      level: a.crash.willDeliver ? 'ok' : 'error',
    },
    {
      key: 'routes',
      label: 'Routes',
      value: `${configured.length} configured`,
      verdict: failing.length > 0 ? `${failing.length} go nowhere: ${failing.map((r) => `${r.reportType} → ${r.endpointName ?? '?'}`).join(', ')}` : configured.length > 0 ? 'all resolve' : 'no report types configured',
      level: failing.length > 0 ? 'error' : configured.length > 0 ? 'ok' : 'none',
    },
    {
      key: 'problems',
      label: 'Problems',
      value: plural(problems.errors + problems.warnings, 'problem'),
      verdict: problems.errors + problems.warnings === 0 ? 'none found' : `${plural(problems.errors, 'error')}, ${plural(problems.warnings, 'warning')}`,
      level: problems.errors > 0 ? 'error' : problems.warnings > 0 ? 'warning' : 'ok',
    },
  ];
}
