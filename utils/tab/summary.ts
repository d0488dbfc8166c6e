/**
 * The one summary of a tab: the badge, the popup, the panel's Overview, History and counts, and the export all
 * read it, so no two screens can disagree. Built from each document's verdicts (./verdicts.ts). Pure.
 */
import type { CrashEntry, Level, SummaryLine, TabSummary, TabView } from './types';
import { noCrashRoute } from './types';
import type { DocumentAnalysis } from './routes';
import { analysesOf } from './analyses';
import { documentVerdict, sumProblems, type DocumentVerdict } from './verdicts';
import { formatClock, formatClockMs, formatDuration, isBrowserPage, plural } from '@/utils/display/format';
import { crashDeliveryText } from '@/utils/delivery/inbox';
import { scrub } from '@/utils/page/scrub';

/** Badge colours: blue when every report has somewhere to go, amber when reports are lost, grey for nothing. */
export const BADGE_COLORS = { ok: '#1a73e8', warning: '#e37400', error: '#d93025', none: '#5f6368' } as const;

/** The newest crash of the tab. */
function newestCrash(crashes: readonly CrashEntry[]): CrashEntry | null {
  return crashes.reduce<CrashEntry | null>((l, c) => (!l || c.at > l.at ? c : l), null);
}

/**
 * A crash in the past tense: it happened at a moment on a document, and Chromium sent (or could not send) its
 * report then, within about 100 ms (DESIGN.md, measured): never "will go", even when the tab has moved on.
 */
export function crashPastText(crash: CrashEntry): string {
  const where = scrub(crash.url);
  const head = `Crashed at ${formatClock(crash.at)}${crash.reason ? ` (${crash.reason})` : ''} on ${where}`;
  const d = crashDeliveryText(crash, formatClockMs);
  const route = crash.predicted.route;
  if (d.status === 'delivered') return `${head}: its report was ${d.text}`;
  if (d.status === 'will-not-be-sent') return `${head}: no report was sent (${route.reason ?? 'no endpoint'})`;
  const to = `${route.endpointName ? `"${route.endpointName}" → ` : ''}${route.url ?? ''}`;
  return `${head}: its report went to ${to}${d.status === 'not-seen' ? ' (not seen in the inbox yet)' : ''}`;
}

function fateLevel(state: DocumentVerdict['reportingEndpoints']): Level {
  if (state.state === 'not-sent') return 'none';
  if (state.state === 'removes') return 'ok';
  if (state.state === 'kept') return state.severity ?? 'ok';
  return state.severity ?? 'warning';
}

function linesFor(v: DocumentVerdict, now: number): SummaryLine[] {
  const re = v.reportingEndpoints;
  const rt = v.reportTo;
  const soonest = v.groups.reduce<number | null>(
    (m, g) => (m === null || g.group.expiresAt < m ? g.group.expiresAt : m),
    null,
  );
  const elsewhere = v.groupsFromElsewhere.length;
  let rtVerdict: string;
  if (v.groups.length > 0) {
    rtVerdict = `${v.groups.map((g) => g.group.name).join(', ')}; soonest expires in ${formatDuration((soonest ?? now) - now)}`;
    if (elsewhere > 0)
      rtVerdict += ` (${elsewhere === v.groups.length ? 'set' : `${elsewhere} set`} by an earlier response of the origin)`;
    if (rt.state !== 'not-sent' && rt.state !== 'kept') rtVerdict += `; this page's header: ${rt.text}`;
  } else if (rt.state !== 'not-sent') {
    rtVerdict = rt.state === 'kept' ? `${rt.text}; all expired` : rt.text;
  } else if (v.expiredGroups.length > 0) {
    rtVerdict = `${plural(v.expiredGroups.length, 'group')} expired`;
  } else {
    rtVerdict = 'not sent, and no group of this origin applies';
  }
  const configured = v.configuredRoutes;
  const failingConfigured = configured.filter((r) => !r.willDeliver);
  const p = v.problems;
  return [
    {
      key: 'reporting-endpoints',
      label: 'Reporting-Endpoints',
      value:
        re.state === 'not-sent'
          ? 'not sent'
          : re.state === 'rejected' || re.state === 'ignored'
            ? 'rejected'
            : plural(re.kept, 'endpoint'),
      verdict: re.text,
      level: fateLevel(re),
    },
    {
      key: 'report-to',
      label: 'Report-To',
      value: plural(v.groups.length, 'group'),
      verdict: rtVerdict,
      level:
        v.groups.length > 0
          ? rt.state === 'partial' || rt.state === 'rejected'
            ? fateLevel(rt)
            : 'ok'
          : rt.state !== 'not-sent'
            ? fateLevel(rt)
            : v.expiredGroups.length > 0
              ? 'warning'
              : 'none',
    },
    {
      key: 'crash',
      label: 'Crash reports',
      value: v.crash.willDeliver ? `→ ${v.crash.endpointName}` : 'not sent',
      verdict: v.crash.willDeliver ? `${v.crash.url}` : `${v.crash.reason}`,
      level: v.crash.willDeliver ? 'ok' : 'error',
    },
    {
      key: 'routes',
      label: 'Routes',
      value: `${v.delivering} of ${plural(v.routes.length, 'route')} deliver`,
      verdict:
        failingConfigured.length > 0
          ? `${failingConfigured.length} configured go nowhere: ${failingConfigured.map((r) => `${r.reportType} → ${r.endpointName ?? '?'}`).join(', ')}`
          : v.failing.length > 0
            ? `${v.failing.map((r) => r.reportType).join(', ')} go nowhere (no "default" endpoint)`
            : configured.length > 0
              ? 'all resolve'
              : 'only the implicit ones (deprecation, intervention, crash)',
      level: failingConfigured.length > 0 ? 'error' : v.failing.length > 0 ? 'warning' : 'ok',
    },
    {
      key: 'problems',
      label: 'Problems',
      value: plural(p.errors + p.warnings, 'problem'),
      verdict:
        p.errors + p.warnings === 0 ? 'none found' : `${plural(p.errors, 'error')}, ${plural(p.warnings, 'warning')}`,
      level: p.errors > 0 ? 'error' : p.warnings > 0 ? 'warning' : 'ok',
    },
  ];
}

function reach(v: DocumentVerdict): string {
  const parts = [];
  if (v.endpoints.length > 0) parts.push(plural(v.endpoints.length, 'endpoint'));
  if (v.groups.length > 0) parts.push(plural(v.groups.length, 'Report-To group'));
  return parts.join(', ');
}

function headlineOf(v: DocumentVerdict, kind: TabSummary['kind']): string {
  const re = v.reportingEndpoints;
  const rt = v.reportTo;
  if (kind === 'nothing-configured')
    return 'Nothing configured: this page sends no reporting headers, so crash and other reports go nowhere.';
  if (kind === 'nothing-kept') {
    const what = [re, rt]
      .filter((f) => f.state !== 'not-sent')
      .map(
        (f) =>
          `${f.header === 'report-to' ? 'Report-To' : 'Reporting-Endpoints'} ${f.state === 'removes' ? f.text : f.state === 'kept' ? 'kept nothing' : 'was rejected'}`,
      );
    return `Nothing kept: ${what.length > 0 ? what.join('; ') : 'no endpoint resolves'}. Crash reports will not be sent.`;
  }
  const rejected =
    re.state === 'rejected'
      ? '; Reporting-Endpoints was rejected'
      : re.state === 'partial'
        ? '; Reporting-Endpoints partly kept'
        : '';
  return v.crash.willDeliver
    ? `Reporting is configured (${reach(v)}${rejected}): crash reports go to "${v.crash.endpointName}".`
    : `Reporting is configured (${reach(v)}${rejected}), but crash reports will not be sent.`;
}

/**
 * The summary of a tab. `tabUrl` is the tab's current URL as the browser reports it ('' when unknown);
 * `analyses` are the view's documents analysed at `now`, top first (by default those the view carries).
 */
export function summarizeTab(
  view: TabView | null,
  tabUrl: string,
  now: number,
  analyses: readonly DocumentAnalysis[] = analysesOf(view),
): TabSummary {
  const lastCrash = view ? newestCrash(view.state.crashes) : null;
  const topA = analyses.find((a) => a.document.frameId === 0) ?? null;
  const top = topA ? documentVerdict(topA) : null;
  const frames = analyses.filter((a) => a.document.frameId !== 0 && a.document.headers.length > 0).map(documentVerdict);
  const allProblems = sumProblems(analyses.map((a) => (a === topA ? top!.problems : documentVerdict(a).problems)));
  const url = scrub(tabUrl || topA?.document.url || '');
  const base = {
    tabId: view?.tabId ?? -1,
    url,
    endpoints: 0,
    groups: 0,
    destinations: 0,
    soonestExpiry: null,
    routes: 0,
    delivering: 0,
    configuredRoutes: 0,
    problems: { errors: 0, warnings: 0 },
    lines: [] as SummaryLine[],
    lastCrash,
    lastCrashText: lastCrash ? crashPastText(lastCrash) : null,
    top,
    frames,
    canCrash: false,
    allProblems,
  };
  const rawUrl = tabUrl || topA?.document.url || '';
  if (rawUrl !== '' && isBrowserPage(rawUrl)) {
    return {
      ...base,
      top: null,
      frames: [],
      kind: 'browser-page',
      level: 'none',
      headline: 'This is a browser page: it sends no reports and extensions cannot inspect it.',
      crash: noCrashRoute('browser pages send no reports'),
      badge: { text: '', color: BADGE_COLORS.none },
    };
  }
  if (/^http:/i.test(rawUrl)) {
    return {
      ...base,
      kind: 'insecure',
      level: 'error',
      headline:
        'This page is not HTTPS: Chromium ignores its reporting headers and sends no reports (http://localhost included).',
      crash: noCrashRoute('the page is not HTTPS'),
      lines: top ? linesFor(top, now) : [],
      problems: top ? { errors: top.problems.errors, warnings: top.problems.warnings } : base.problems,
      badge: { text: '!', color: BADGE_COLORS.warning },
    };
  }
  if (!top) {
    return {
      ...base,
      kind: 'unknown',
      level: 'none',
      headline: 'No response seen for this tab yet. Reload the page to capture its headers.',
      crash: noCrashRoute('no response seen yet'),
      canCrash: /^https:/i.test(rawUrl),
      badge: { text: '', color: BADGE_COLORS.none },
    };
  }
  const soonest = top.groups.reduce<number | null>(
    (m, g) => (m === null || g.group.expiresAt < m ? g.group.expiresAt : m),
    null,
  );
  const kind: TabSummary['kind'] = !top.configured
    ? 'nothing-configured'
    : top.destinations === 0 && !top.configuredRoutes.some((r) => r.willDeliver)
      ? 'nothing-kept'
      : 'configured';
  return {
    ...base,
    kind,
    level: top.level,
    headline: headlineOf(top, kind),
    endpoints: top.endpoints.length,
    groups: top.groups.length,
    destinations: top.destinations,
    soonestExpiry: soonest,
    routes: top.routes.length,
    delivering: top.delivering,
    configuredRoutes: top.configuredRoutes.length,
    problems: { errors: top.problems.errors, warnings: top.problems.warnings },
    crash: top.crash,
    canCrash: top.secure,
    lines: linesFor(top, now),
    // The badge says whether reports are lost (README, "Using it"): amber then, blue otherwise; its number is
    // where reports can go (kept endpoints plus live groups).
    badge:
      kind === 'nothing-configured'
        ? { text: '', color: BADGE_COLORS.none }
        : {
            text: top.destinations > 99 ? '99+' : String(top.destinations),
            color: top.losesReports ? BADGE_COLORS.warning : BADGE_COLORS.ok,
          },
  };
}
