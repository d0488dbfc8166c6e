import type { BrowserReport, DeepCaptureState } from '@/utils/delivery/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { compareEndpoints, detachReasonText, type EndpointComparisonRow } from '@/utils/delivery/deep-capture-state';
import { formatAgo, formatClockMs, plural } from '@/utils/display/format';
import { ExpandableRow } from '@/components/common/ExpandableRow';
import { JsonBlock } from '@/components/common/JsonBlock';
import { onListKeyDown } from '@/components/common/list-keys';
import { CappedText, UrlText } from '@/components/common/text';
import type { DeliveryControls } from './delivery';
import { matchesFilter } from './labels-and-filter';

export type DeliverySectionProps = Pick<
  DeliveryControls,
  'deepAvailability' | 'deepPending' | 'deepError' | 'onDeepCapture' | 'onCrashTab'
> & {
  deep: DeepCaptureState | undefined;
  analyses: readonly DocumentAnalysis[];
  now: number;
  filter?: string;
};

const STATUS_TEXT: Record<string, { text: string; tone: string }> = {
  Queued: { text: 'queued', tone: '' },
  Pending: { text: 'uploading', tone: 'warn' },
  MarkedForRemoval: { text: 'given up (marked for removal)', tone: 'bad' },
  Success: { text: 'delivered', tone: 'good' },
};

const COMPARISON_TEXT: Record<EndpointComparisonRow['status'], string> = {
  same: 'same',
  'browser-only': 'only in the browser',
  'parsed-only': 'only parsed',
};

function ReportRow({ report }: { report: BrowserReport }) {
  const status = STATUS_TEXT[report.status] ?? { text: report.status, tone: '' };
  return (
    <ExpandableRow
      testId="browser-report"
      data={{ status: report.status, type: report.type, id: report.id }}
      summary={
        <div class="line">
          <span class="rtype">{report.type}</span>
          <span class="arrow">→</span>
          <code class="mono name">{report.destination}</code>
          <span class={`badge ${status.tone}`} data-testid="browser-report-status">
            {status.text}
          </span>
          <span class="muted" data-testid="browser-report-attempts">
            {plural(report.completedAttempts, 'attempt')}
          </span>
          <span class="muted mono">{formatClockMs(report.timestamp)}</span>
          <UrlText url={report.initiatorUrl} class="muted" />
        </div>
      }
      detail={<JsonBlock value={report.body} testId="browser-report-body" />}
    />
  );
}

/**
 * Deep capture: the browser's own report queue and registered endpoints, beside what Report Inspector parsed.
 * Turning it on attaches the debugger to the tab (the browser then shows its debugging bar).
 */
export function DeliverySection({
  deep,
  analyses,
  now,
  filter = '',
  deepAvailability,
  deepPending,
  deepError,
  onDeepCapture,
  onCrashTab,
}: DeliverySectionProps) {
  if (deepAvailability === 'unavailable' && !deep) return null;
  const attached = deep?.attached ?? false;
  const reports = (deep?.reports ?? [])
    .filter((r) => matchesFilter(filter, r.type, r.destination, r.status, r.initiatorUrl))
    .slice()
    .sort((a, b) => b.timestamp - a.timestamp);
  const comparison = deep ? compareEndpoints(deep.endpoints, analyses) : [];
  const pageOrigins = new Set(
    analyses.flatMap((a) => {
      try {
        return [new URL(a.document.url).origin];
      } catch {
        return [];
      }
    }),
  );
  const silentOrigins = deep ? [...pageOrigins].filter((o) => !(o in deep.endpoints)) : [];
  return (
    <section class="card delivery" data-testid="delivery-section" data-attached={String(attached)}>
      <h3>Delivery: what the browser says (deep capture)</h3>
      <div class="muted" data-testid="deep-explanation">
        Deep capture attaches the browser's debugger to this tab to read its own report queue (status and attempts of
        each report) and the endpoints it registered. While it is on, the browser shows a bar saying that Report
        Inspector started debugging this browser; cancelling that bar stops deep capture, and so does closing this
        panel.
        {deepAvailability === 'requestable' && ' The browser first asks you to allow access to the page debugger.'}{' '}
        Crash reports never appear in the browser's queue: read a collector inbox above to see them arrive.
      </div>
      {deepAvailability === 'needs-build' && (
        <div class="warn" data-testid="deep-needs-build">
          Chrome grants the debugger permission only to extensions that declare it when installed, never on request, so
          this build cannot turn deep capture on. Build the deep-capture flavour with <code>npm run build:deep</code>{' '}
          and load <code>.output/chrome-mv3-deep</code> instead (its install asks for the debugger permission).
        </div>
      )}
      <div class="toolbar">
        {onDeepCapture && (deepAvailability === 'granted' || deepAvailability === 'requestable') && (
          <button
            type="button"
            class={`btn ${attached ? 'active' : ''}`}
            data-testid="deep-capture-button"
            aria-pressed={attached}
            disabled={deepPending}
            onClick={() => onDeepCapture(!attached)}
          >
            {deepPending ? 'Working…' : attached ? 'Stop deep capture' : 'Deep capture'}
          </button>
        )}
        {attached && onCrashTab && (
          <button type="button" class="btn danger" data-testid="crash-tab-button" onClick={() => onCrashTab()}>
            Crash this tab now
          </button>
        )}
        <span class="muted" data-testid="deep-status">
          {attached
            ? `On since ${formatAgo(deep!.since, now)}.`
            : deep?.detachReason
              ? `Off (${detachReasonText(deep.detachReason)}).`
              : 'Off.'}
        </span>
      </div>
      {deepError && (
        <div class="bad" data-testid="deep-error" role="status">
          <CappedText text={deepError} max={500} />
        </div>
      )}
      {deep && (
        <>
          <h4>The browser's report queue ({reports.length})</h4>
          {reports.length === 0 ? (
            <div class="muted" data-testid="no-browser-reports">
              {attached ? 'No report queued since deep capture started.' : 'No report was seen.'}
            </div>
          ) : (
            <div class="list" data-list="" onKeyDown={onListKeyDown} data-testid="browser-reports">
              {reports.map((r) => (
                <ReportRow report={r} key={r.id} />
              ))}
            </div>
          )}
          <h4>Endpoints: browser vs parsed</h4>
          {comparison.length === 0 ? (
            <div class="muted" data-testid="no-endpoint-comparison">
              The browser has not listed endpoints yet: it does when an origin's endpoints change. Reload the page with
              deep capture on.
            </div>
          ) : (
            <div class="list table" data-testid="endpoint-comparison">
              {comparison.map((row) => (
                <div
                  class="row"
                  key={`${row.origin} ${row.name} ${row.url}`}
                  data-testid="endpoint-comparison-row"
                  data-status={row.status}
                  data-name={row.name}
                  data-url={row.url}
                  data-differs={row.urlDiffers ? 'true' : undefined}
                >
                  <div class="row-main line">
                    <span class={`badge ${row.status === 'same' ? 'good' : 'warn'}`}>
                      {COMPARISON_TEXT[row.status]}
                    </span>
                    <code class="mono name">
                      <CappedText text={row.name} max={200} />
                    </code>
                    <span class="arrow">→</span>
                    <UrlText url={row.url} />
                    {row.parsedFrom && <span class="muted">({row.parsedFrom})</span>}
                    {row.urlDiffers && (
                      <span class="muted" data-testid="endpoint-url-differs">
                        {row.status === 'browser-only'
                          ? 'the browser has this URL for the name: another document of this origin (open or just closed) may define it'
                          : 'the browser has another URL for this name'}
                      </span>
                    )}
                    <span class="muted source">{row.origin}</span>
                  </div>
                </div>
              ))}
            </div>
          )}
          {comparison.length > 0 && silentOrigins.length > 0 && (
            <div class="muted">Not listed by the browser yet: {silentOrigins.join(', ')}.</div>
          )}
        </>
      )}
    </section>
  );
}
