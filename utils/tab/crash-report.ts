/**
 * The crash report Chromium will send for a tab's document, exactly as it delivers it (Chromium 156):
 * `{age, type: "crash", url, user_agent, body: {crash_report_api, is_top_level, visibility_state[, reason][, stack]}}`.
 * Pure: the tab state, time and user agent are parameters.
 *
 * - `url` is the document's URL at the crash, after `pushState`/`replaceState`/hash changes (measured), without
 *   its fragment: reports carry the URL stripped for reporting (W3C Reporting API § "strip URL for use in
 *   reports"; net/reporting/reporting_service.cc sanitises it with `GURL::GetAsReferrer`).
 * - `crash_report_api` holds the entries the page set with `window.crashReport.set` and did not delete.
 * - `visibility_state` is the page's visibility at the crash (chrome/browser/net/reporting_browsertest.cc
 *   `CrashReportHiddenPage`), as the page hook last saw it.
 * - `reason` is `oom` or `unresponsive` when Chromium knows it; an `unresponsive` report carries `stack`: the
 *   JS call stack when the document sent `Document-Policy: include-js-call-stacks-in-crash-reports`, else
 *   {@link NOT_OPTED_IN} (third_party/blink/renderer/controller/javascript_call_stack_collector.cc).
 */
import { parseDictionary } from 'structured-headers';
import type { CrashContextSnapshot, CrashEntry, CrashReportShape, DocumentRecord, TabState } from './types';
import { crashContextUsed, crashReportApi } from '@/utils/page/crash-context';
import { recordJsonSize } from '@/utils/page/untrusted';

/** What Chromium writes as `stack` when the document did not opt in (javascript_call_stack_collector.h). */
export const NOT_OPTED_IN = 'Website owner has not opted in for JS call stacks in crash reports.';
/** What Chromium writes when extension script frames were on the stack (javascript_call_stack_collector.h). */
export const EXTENSION_FRAMES_OMITTED = 'Stack omitted due to extension script frames.';
/** The Document-Policy feature that opts in (document_policy_features.json5). */
const CALL_STACK_FEATURE = 'include-js-call-stacks-in-crash-reports';
/** The header to send to opt in. */
export const CALL_STACK_OPT_IN = `Document-Policy: ${CALL_STACK_FEATURE}`;

/** JSON characters of crash context kept with one crash record (20 crashes per tab must fit in storage). */
const CONTEXT_CHARS = 16 * 1024;

/** True when the document's `Document-Policy` enables JS call stacks in crash reports (report-only does not). */
export function callStacksOptedIn(doc: Pick<DocumentRecord, 'headers'> | undefined): boolean {
  const value = doc?.headers
    .filter((h) => h.name === 'document-policy')
    .map((h) => h.value)
    .join(', ');
  if (!value) return false;
  try {
    const member = parseDictionary(value).get(CALL_STACK_FEATURE);
    // A boolean feature: the bare key is `?1`; `=?0` turns it off; any other value is ignored by Chromium.
    return !!member && !Array.isArray(member[0]) && member[0] === true;
  } catch {
    return false; // not a structured dictionary: Chromium ignores the whole header
  }
}

/**
 * What the top frame's hook said, when it speaks of the current top document: a hook that started before that
 * document's response arrived belongs to the previous one (the new document's hook has not reported yet).
 */
export function liveOfTop(state: TabState): NonNullable<TabState['live']>[string] | undefined {
  const top = state.documents['0'];
  const live = state.live?.['0'];
  if (!top || !live || live.loadedAt === undefined || live.loadedAt < top.receivedAt) return undefined;
  return live;
}

/** `url` without its fragment. */
export function reportUrl(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

/** The crash context of frame `frameId` as it is now, bounded for keeping with a crash; null when the page never used it. */
function contextSnapshot(state: TabState, frameId = 0): CrashContextSnapshot | null {
  const ctx = state.live?.[String(frameId)]?.context;
  if (!ctx) return null;
  const entries: CrashContextSnapshot['entries'] = [];
  let chars = 0;
  for (const e of ctx.entries) {
    const kept = { key: e.key, value: e.value, bytes: e.bytes, exact: e.exact };
    chars += recordJsonSize(kept);
    if (chars > CONTEXT_CHARS) break;
    entries.push(kept);
  }
  return {
    requested: ctx.requested,
    status: ctx.status,
    used: crashContextUsed(ctx.entries),
    entries,
    omitted: ctx.entries.length - entries.length + ctx.overflow,
  };
}

export interface CrashPrediction {
  report: CrashReportShape;
  /** The URL the document was loaded with. */
  loadUrl: string;
  context: CrashContextSnapshot | null;
  callStacks: boolean;
}

/** The report Chromium sends if the tab's top document crashes at `at` for `reason` (none: a plain crash). */
export function predictCrashReport(
  state: TabState,
  opts: { at: number; userAgent: string; reason?: CrashEntry['reason']; visible: boolean },
): CrashPrediction {
  const top = state.documents['0'];
  const live = liveOfTop(state);
  const loadUrl = top?.url ?? '';
  const url = reportUrl(live?.url ?? loadUrl);
  const context = live ? contextSnapshot(state) : null;
  const callStacks = callStacksOptedIn(top);
  const body: CrashReportShape['body'] = {
    crash_report_api: crashReportApi(context?.entries ?? []),
    is_top_level: true,
    visibility_state: live?.visibility ?? (opts.visible ? 'visible' : 'hidden'),
  };
  if (opts.reason) body.reason = opts.reason;
  if (opts.reason === 'unresponsive') body.stack = hangStack(callStacks);
  return { report: { age: 0, type: 'crash', url, user_agent: opts.userAgent, body }, loadUrl, context, callStacks };
}

/** What `stack` holds in an `unresponsive` report: a placeholder for the stack when opted in, else Chromium's string. */
export function hangStack(optedIn: boolean): string {
  return optedIn ? '(the JS call stack at the hang)' : NOT_OPTED_IN;
}

/** Report fields whose value is not known before the crash: compared by presence only. */
export function unpredictable(report: CrashReportShape): string[] {
  const out = ['age'];
  if (report.body.stack !== undefined && report.body.stack !== NOT_OPTED_IN) out.push('body.stack');
  return out;
}

/**
 * The predicted report of a crash record, in Chromium's shape. Records kept before the shape was exact have only
 * the old body (`{type, url, is_top_level, visibility_state, reason?}`): they are read as that report without
 * `crash_report_api` and `user_agent`.
 */
export function crashReportOf(crash: Pick<CrashEntry, 'predicted' | 'url'>): CrashReportShape {
  const p = crash.predicted;
  const body = p.body as Record<string, unknown>;
  if (p.report) return { ...p.report, body: p.body };
  const legacy: CrashReportShape['body'] = {
    is_top_level: body.is_top_level !== false,
    visibility_state: typeof body.visibility_state === 'string' ? body.visibility_state : 'visible',
  };
  if (typeof body.reason === 'string') legacy.reason = body.reason;
  return {
    age: 0,
    type: 'crash',
    url: typeof body.url === 'string' ? body.url : crash.url,
    user_agent: '',
    body: legacy,
  };
}

/** In words: whether an `unresponsive` (hang) report from this document carries a JS call stack, and how to opt in. */
export function callStackVerdict(optedIn: boolean): string {
  return optedIn
    ? `Hang reports (reason "unresponsive") carry the page's JS call stack: the document sends ${CALL_STACK_OPT_IN}.`
    : `Hang reports (reason "unresponsive") carry no JS call stack: Chromium writes "${NOT_OPTED_IN}" To get the stack, send ${CALL_STACK_OPT_IN} with the document.`;
}
