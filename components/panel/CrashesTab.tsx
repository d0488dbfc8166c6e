import type { CrashEntry } from '@/utils/tab/types';
import type { DeepCaptureState } from '@/utils/delivery/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { callStacksOptedIn } from '@/utils/tab/crash-report';
import { formatClock, formatDateTime, plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { ExpandableRow } from '@/components/common/ExpandableRow';
import { onListKeyDown } from '@/components/common/list-keys';
import { RouteVerdict } from '@/components/common/RouteVerdict';
import { CappedText, UrlText } from '@/components/common/text';
import type { FrameLive } from '@/utils/tab/types';
import {
  CallStackNote,
  CrashBreadcrumbs,
  CrashContextAtCrash,
  LiveCrashContext,
  CrashDelivery,
  PredictedReport,
  ReportComparison,
} from './CrashReport';
import type { DeliveryControls } from './delivery';
import { DeliverySection } from './DeliverySection';
import { matchesFilter } from './labels-and-filter';
import { InboxBox } from './InboxBox';

const DETECTED: Record<CrashEntry['detectedBy'], string> = {
  'port-disconnect': 'the page went away without a navigation (tab unloaded)',
  debugger: 'the debugger reported the renderer crashed',
};

const REASON: Record<NonNullable<CrashEntry['reason']>, string> = {
  oom: 'out of memory',
  unresponsive: 'unresponsive (hang)',
};

export function CrashRow({ crash, defaultExpanded }: { crash: CrashEntry; defaultExpanded?: boolean }) {
  return (
    <ExpandableRow
      testId="crash-row"
      defaultExpanded={defaultExpanded}
      data={{ deliver: String(crash.predicted.route.willDeliver) }}
      summary={
        <>
          <div class="line">
            <span class="badge bad">crash</span>
            <span class="mono">{formatClock(crash.at)}</span>
            {crash.reason && <span class="badge">{REASON[crash.reason] ?? crash.reason}</span>}
            <UrlText url={crash.url} />
          </div>
          <div class="line sub">
            <span data-testid="crash-route">
              <RouteVerdict route={crash.predicted.route} future />
            </span>
          </div>
          <div class="line sub">
            <span class="muted">Report:</span> <CrashDelivery crash={crash} />
          </div>
        </>
      }
      detail={
        <div class="kvs">
          <div class="muted">
            {formatDateTime(crash.at)} · detected because {DETECTED[crash.detectedBy] ?? crash.detectedBy}
            {crash.loadUrl && (
              <>
                {' '}
                · loaded as <CappedText text={crash.loadUrl} max={300} class="mono" />, then navigated within the
                document
              </>
            )}
          </div>
          <PredictedReport crash={crash} />
          <ReportComparison crash={crash} />
          <h4>Crash context at the crash (window.crashReport)</h4>
          <CrashContextAtCrash context={crash.context} />
          <h4>Last breadcrumbs before the crash ({crash.breadcrumbs.length})</h4>
          <CrashBreadcrumbs crumbs={crash.breadcrumbs} at={crash.at} />
        </div>
      }
    />
  );
}

export interface CrashesTabProps {
  crashes: readonly CrashEntry[];
  dropped: number;
  filter?: string;
  /** Deep capture's state for the tab, when it was ever turned on. */
  deep?: DeepCaptureState;
  analyses?: readonly DocumentAnalysis[];
  now?: number;
  /** Inbox and deep capture; without it only the crashes show. */
  delivery?: DeliveryControls;
  /** What each frame's hook says about its live document (crash context, URL). */
  live?: Record<string, FrameLive>;
}

/**
 * The tab's renderer crashes, newest first, with the report the browser is expected to send and whether a collector
 * received it; then the collector inbox and deep capture (the browser's own queue and endpoints).
 */
export function CrashesTab({
  crashes,
  dropped,
  filter = '',
  deep,
  analyses = [],
  now = Date.now(),
  delivery,
  live,
}: CrashesTabProps) {
  const top = analyses.find((a) => a.document.frameId === 0);
  const rows = crashes
    .filter((c) => matchesFilter(filter, c.url, c.reason, c.predicted.route.url, c.predicted.route.reason))
    .slice()
    .sort((a, b) => b.at - a.at);
  return (
    <div class="sections">
      {!crashes.length ? (
        <EmptyState title="No crash seen in this tab" testId="empty-crashes">
          No crash seen in this tab. To simulate one, type <code class="mono">chrome://crash</code> into the address bar
          of this tab and press Enter (or <code class="mono">chrome://memory-exhaust</code> for out of memory,{' '}
          <code class="mono">chrome://hang</code> for a hang); the browser does not let extensions open these pages.
          Each crash appears here with the report Chromium sends and where it goes.
        </EmptyState>
      ) : (
        <div class="list" data-list="" onKeyDown={onListKeyDown}>
          {rows.map((c, i) => (
            <CrashRow crash={c} key={c.id} defaultExpanded={i === 0} />
          ))}
        </div>
      )}
      {dropped > 0 && <div class="muted dropped">{plural(dropped, 'older entry', 'older entries')} dropped</div>}
      {top && (
        <LiveCrashContext
          live={live}
          frameUrl={(id) => analyses.find((a) => String(a.document.frameId) === id)?.document.url}
        />
      )}
      {top && (
        <section class="card" data-testid="hang-stacks">
          <h3>Call stacks in hang reports</h3>
          <CallStackNote optedIn={callStacksOptedIn(top.document)} />
        </section>
      )}
      {delivery && (
        <InboxBox
          inboxUrl={delivery.inboxUrl}
          onInboxUrl={delivery.onInboxUrl}
          inbox={delivery.inbox}
          onReadInbox={delivery.onReadInbox}
        />
      )}
      {delivery && (
        <DeliverySection
          deep={deep}
          analyses={analyses}
          now={now}
          filter={filter}
          deepAvailability={delivery.deepAvailability}
          deepPending={delivery.deepPending}
          deepError={delivery.deepError}
          onDeepCapture={delivery.onDeepCapture}
          onCrashTab={delivery.onCrashTab}
        />
      )}
    </div>
  );
}
