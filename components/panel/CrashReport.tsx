/**
 * The crash story's parts: the page's crash context (`window.crashReport`), the predicted report in Chromium's
 * shape, the call-stack opt-in in words, the delivered report beside the prediction, and the last breadcrumbs
 * before a crash. Presentational: props in, text out.
 */
import type { BreadcrumbEntry } from '@/utils/page/types';
import type { CrashContextSnapshot, CrashEntry, FrameLive } from '@/utils/tab/types';
import type { CrashContextState } from '@/utils/page/crash-context';
import { crashContextUsed, MAX_CRASH_CONTEXT_BYTES } from '@/utils/page/crash-context';
import {
  callStackVerdict,
  CALL_STACK_OPT_IN,
  crashReportOf,
  hangStack,
  EXTENSION_FRAMES_OMITTED,
} from '@/utils/tab/crash-report';
import { compareCrashReport, comparisonMatches, crashDeliveryText, type FieldComparison } from '@/utils/delivery/inbox';
import { formatClock, formatClockMs, formatJson, formatRelative, plural } from '@/utils/display/format';
import { CopyButton } from '@/components/common/CopyButton';
import { JsonBlock } from '@/components/common/JsonBlock';
import { CappedText } from '@/components/common/text';
import { BreadcrumbIcon } from './Breadcrumb';

const STATUS_TEXT: Record<CrashContextState['status'], string> = {
  none: 'initialize() not called: set() and delete() throw until it resolves',
  requested: 'initialize() called',
  initialized: 'initialized',
  rejected: `initialize() rejected: more than ${MAX_CRASH_CONTEXT_BYTES.toLocaleString('en-US')} bytes asked`,
};

/** `57 of 4,096 bytes used (initialize(4096))`, or what is known without a budget. */
export function budgetText(ctx: Pick<CrashContextSnapshot, 'requested' | 'status' | 'used'>): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (ctx.requested === null) return `${n(ctx.used)} bytes used; ${STATUS_TEXT[ctx.status]}`;
  return `${n(ctx.used)} of ${n(ctx.requested)} bytes used (initialize(${ctx.requested}); ${STATUS_TEXT[ctx.status]})`;
}

/** A crash context's entries: key, value, bytes, as text. */
export function ContextEntries({ entries, testId }: { entries: CrashContextSnapshot['entries']; testId?: string }) {
  if (!entries.length)
    return (
      <div class="muted" data-testid={testId}>
        No entries: crash_report_api will be {'{}'}.
      </div>
    );
  return (
    <table class="crash-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Key</th>
          <th>Value</th>
          <th class="num">Bytes</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.key} data-testid="context-entry" data-key={e.key}>
            <td class="mono">
              <CappedText text={e.key} max={200} />
            </td>
            <td class="mono">
              <CappedText text={e.value} max={500} />
              {!e.exact && <span class="muted"> (shown scrubbed or cut; the browser keeps the page's value)</span>}
            </td>
            <td class="mono num">{e.bytes}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The live crash context of each frame whose page used `window.crashReport`. */
export function LiveCrashContext({
  live,
  frameUrl,
}: {
  live?: Record<string, FrameLive>;
  frameUrl: (frameId: string) => string | undefined;
}) {
  const frames = Object.entries(live ?? {}).filter(([, f]) => f.context);
  return (
    <section class="card" data-testid="live-crash-context">
      <h3>Crash context now (window.crashReport)</h3>
      {!frames.length ? (
        <p class="muted">
          No frame of this page has called <code class="mono">window.crashReport</code>. A page can add up to{' '}
          {MAX_CRASH_CONTEXT_BYTES.toLocaleString('en-US')} bytes of key/value context to its crash reports:{' '}
          <code class="mono">await crashReport.initialize(4096); crashReport.set('route', location.pathname)</code>. The
          entries set at the crash arrive as <code class="mono">body.crash_report_api</code>.
        </p>
      ) : (
        frames.map(([id, f]) => {
          const ctx = f.context!;
          const used = crashContextUsed(ctx.entries);
          return (
            <div class="kvs" key={id} data-testid="frame-context" data-frame={id}>
              <div>
                <span class="badge">{id === '0' ? 'top frame' : `frame ${id}`}</span>{' '}
                <CappedText text={f.url ?? frameUrl(id) ?? ''} max={200} class="mono muted" />
              </div>
              <div data-testid="context-budget">
                {budgetText({ requested: ctx.requested, status: ctx.status, used })}
              </div>
              {ctx.lastError && (
                <div class="bad" data-testid="context-error">
                  {formatClock(ctx.lastError.at)} crashReport.{ctx.lastError.op}
                  {ctx.lastError.key !== undefined ? `(${JSON.stringify(ctx.lastError.key)})` : '()'} threw{' '}
                  <CappedText text={ctx.lastError.error} max={300} />
                </div>
              )}
              <ContextEntries entries={ctx.entries} testId="context-entries" />
              {ctx.overflow > 0 && (
                <div class="muted">{plural(ctx.overflow, 'more entry', 'more entries')} not shown</div>
              )}
            </div>
          );
        })
      )}
    </section>
  );
}

/** Whether hang reports carry a JS call stack, in words, with the header to opt in. */
export function CallStackNote({ optedIn, testId = 'call-stack-note' }: { optedIn: boolean; testId?: string }) {
  return (
    <div class={optedIn ? 'good' : 'muted'} data-testid={testId} data-opted-in={String(optedIn)}>
      {callStackVerdict(optedIn)}
      {!optedIn && (
        <>
          {' '}
          <CopyButton text={CALL_STACK_OPT_IN} label="Copy header" testId="copy-opt-in" />
        </>
      )}
    </div>
  );
}

/** The predicted report in Chromium's shape, with a copy button, and what a hang or OOM would change. */
export function PredictedReport({ crash }: { crash: CrashEntry }) {
  const report = crashReportOf(crash);
  const text = formatJson(report);
  return (
    <>
      <h4>
        Predicted report <CopyButton text={text} testId="copy-crash-body" />
      </h4>
      <JsonBlock value={report} testId="crash-body" copyable={false} />
      {!crash.predicted.report && (
        <div class="muted">Recorded by an earlier version: crash_report_api and user_agent were not predicted.</div>
      )}
      <div class="muted" data-testid="crash-reason-note">
        {crash.reason
          ? `reason "${crash.reason}" (${crash.detectedBy === 'debugger' ? 'reported by the debugger' : 'known'}).`
          : 'No reason: Chromium adds reason "oom" for out of memory and reason "unresponsive" for a hang, with a stack field; a plain crash has neither.'}
        {crash.reason !== 'unresponsive' && crash.predicted.report && (
          <>
            {' '}
            A hang would add{' '}
            {crash.callStacks
              ? '"stack" with the page\'s JS call stack at the hang'
              : `"stack": ${JSON.stringify(hangStack(false))}`}
            .
          </>
        )}
        {crash.reason === 'unresponsive' && crash.callStacks && (
          <>
            {' '}
            When a function of a browser extension is on the stack, Chromium writes "{EXTENSION_FRAMES_OMITTED}"
            instead.
          </>
        )}
      </div>
      {crash.predicted.report && <CallStackNote optedIn={crash.callStacks === true} testId="crash-call-stack" />}
    </>
  );
}

const ROW_TEXT: Record<FieldComparison['status'], string> = {
  same: 'same',
  differs: 'differs',
  missing: 'missing from the delivered report',
  unexpected: 'not predicted',
  unpredictable: 'present (its value is not known before the crash)',
  'not-compared': 'not compared (old record)',
};
const ROW_TONE: Record<FieldComparison['status'], string> = {
  same: 'good',
  differs: 'bad',
  missing: 'bad',
  unexpected: 'warn',
  unpredictable: 'muted',
  'not-compared': 'muted',
};

/** The delivered report beside the prediction, field by field, every difference marked. */
export function ReportComparison({ crash }: { crash: CrashEntry }) {
  const delivered = crash.delivery?.status === 'delivered' ? crash.delivery.report : undefined;
  if (!delivered) return null;
  const rows = compareCrashReport(crash, delivered);
  const ok = comparisonMatches(rows);
  const diffs = rows.filter(
    (r) => r.status === 'differs' || r.status === 'missing' || r.status === 'unexpected',
  ).length;
  return (
    <div data-testid="crash-comparison" data-match={String(ok)}>
      <h4>
        Predicted and delivered{' '}
        <CopyButton text={formatJson(delivered)} label="Copy delivered" testId="copy-delivered" />
      </h4>
      <div class={ok ? 'good' : 'bad'} data-testid="crash-comparison-verdict">
        {ok
          ? 'The delivered report matches the prediction.'
          : `The delivered report differs from the prediction in ${plural(diffs, 'field')}.`}
      </div>
      <table class="crash-table">
        <thead>
          <tr>
            <th>Field</th>
            <th>Predicted</th>
            <th>Delivered</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.path}
              data-testid="comparison-row"
              data-path={r.path}
              data-status={r.status}
              class={r.status === 'same' ? '' : `diff ${r.status}`}
            >
              <td class="mono">{r.path}</td>
              <td class="mono">
                <CappedText text={r.predicted ?? '—'} max={300} />
              </td>
              <td class="mono">
                <CappedText text={r.delivered ?? '—'} max={300} />
              </td>
              <td class={ROW_TONE[r.status]}>
                {r.status === 'same' ? '=' : r.status === 'unpredictable' || r.status === 'not-compared' ? '~' : '≠'}{' '}
                {ROW_TEXT[r.status]}
                {r.note && <span class="muted"> ({r.note})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The last breadcrumbs before a crash, in time order, each with its source (the page's recorder or CrashSense). */
export function CrashBreadcrumbs({ crumbs, at }: { crumbs: readonly BreadcrumbEntry[]; at: number }) {
  if (!crumbs.length) return <div class="muted">No breadcrumbs.</div>;
  // Records from before the crash kept them in time order were kept in arrival order.
  const sorted = [...crumbs].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
  return (
    <div class="bc-list" data-testid="breadcrumb-mini-list">
      {sorted.map((b) => (
        <div class="bc-mini" key={b.seq} data-testid="crash-breadcrumb" data-source={b.source}>
          <BreadcrumbIcon type={b.type} level={b.level} />
          <span class="mono muted time">{formatRelative(b.timestamp, at, 'crash')}</span>
          <span class={`badge ${b.source === 'crashsense' ? 'src' : ''}`}>
            {b.source === 'crashsense' ? 'CrashSense' : 'page'}
          </span>
          <CappedText text={b.message} max={300} />
        </div>
      ))}
    </div>
  );
}

/** The context a crash carried, kept with its record. */
export function CrashContextAtCrash({ context }: { context?: CrashContextSnapshot }) {
  if (!context)
    return (
      <div class="muted" data-testid="crash-context">
        The page had not used window.crashReport: crash_report_api is empty.
      </div>
    );
  return (
    <div class="kvs" data-testid="crash-context">
      <div>{budgetText(context)}</div>
      <ContextEntries entries={context.entries} testId="crash-context-entries" />
      {context.omitted > 0 && (
        <div class="muted">{plural(context.omitted, 'more entry', 'more entries')} not kept with the record</div>
      )}
    </div>
  );
}

const DELIVERY_TONE = { delivered: 'good', 'not-seen': 'warn', 'will-not-be-sent': 'bad', unchecked: '' } as const;

/** Whether the crash's report arrived, as the last inbox read found, or why it will not be sent. */
export function CrashDelivery({ crash }: { crash: CrashEntry }) {
  const { status, text } = crashDeliveryText(crash, formatClockMs);
  return (
    <span class={`delivery ${DELIVERY_TONE[status]}`} data-testid="crash-delivery" data-status={status}>
      {text}
      {status === 'not-seen' && crash.delivery && (
        <span class="muted"> (inbox read at {formatClock(crash.delivery.checkedAt)})</span>
      )}
      {status === 'unchecked' && <span class="muted"> (read a collector inbox to check)</span>}
    </span>
  );
}
