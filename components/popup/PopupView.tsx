import type { TabSummary } from '@/utils/tab/types';
import { formatClock, formatClockMs, formatExpiry } from '@/utils/display/format';
import { crashDeliveryText } from '@/utils/delivery/inbox';
import { RouteVerdict } from '@/components/common/RouteVerdict';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText } from '@/components/common/text';
import { SimulateCrash } from './SimulateCrash';

export interface PopupViewProps {
  summary: TabSummary;
  now: number;
  copy?: (text: string) => Promise<boolean>;
}

const KIND_MESSAGE: Record<Exclude<TabSummary['kind'], 'configured'>, { title: string; body: string }> = {
  'browser-page': {
    title: 'Browser page',
    body: 'This is one of the browser\'s own pages: it has no response headers and sends no reports. Open a website to inspect it.',
  },
  insecure: {
    title: 'Not HTTPS',
    body: 'Chromium registers no reporting endpoints and sends no reports for pages that are not HTTPS (localhost included). Serve the page over HTTPS.',
  },
  'nothing-configured': {
    title: 'Nothing configured',
    body: 'This page sends no reporting headers and no Report-To group of its origin applies: crash, CSP and deprecation reports go nowhere. Add a Reporting-Endpoints header with a default endpoint.',
  },
  unknown: {
    title: 'No data yet',
    body: 'Reload the page to capture its headers: Report Inspector sees responses that arrive while it is installed.',
  },
};

/** The popup: the tab's status at a glance, crash simulation, and the last crash. */
export function PopupView({ summary, now, copy }: PopupViewProps) {
  const kindMessage = summary.kind === 'configured' ? null : KIND_MESSAGE[summary.kind];
  const canReport = summary.kind !== 'browser-page' && summary.kind !== 'insecure';
  const last = summary.lastCrash;
  return (
    <div class="popup" data-kind={summary.kind}>
      <header>
        <div class="headline" data-testid="popup-headline">
          {summary.headline}
        </div>
        <div class="url muted mono">
          <CappedText text={summary.url} max={200} />
        </div>
      </header>
      {kindMessage && (
        <div class={`kind-message kind-${summary.kind}`} data-testid="popup-kind-message" data-kind={summary.kind}>
          <b>{kindMessage.title}.</b> {kindMessage.body}
        </div>
      )}
      {summary.lines.length > 0 && (
        <ul class="lines">
          {summary.lines.map((l) => (
            <li class={`line level-${l.level}`} key={l.key} data-testid={`popup-line-${l.key}`} data-level={l.level}>
              <SeverityIcon severity={l.level} />
              <div>
                <div>
                  <span class="label">{l.label}:</span> <span class="value">{l.value}</span>
                </div>
                <div class="verdict-text">
                  <CappedText text={l.verdict} max={400} />
                  {l.key === 'report-to' && summary.soonestExpiry !== null && !/expire/i.test(l.verdict) && (
                    <span class="muted" data-testid="popup-soonest-expiry">
                      {' '}
                      (soonest: {formatExpiry(summary.soonestExpiry, now)})
                    </span>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {last && <LastCrash crash={last} />}
      <SimulateCrash
        crash={summary.crash}
        copy={copy}
        disabledReason={canReport ? undefined : kindMessage?.body}
      />
      {summary.kind !== 'browser-page' && !summary.lines.some((l) => l.key === 'crash') && (
        <div class="crash-now muted" data-testid="popup-crash-route">
          Crash reports: <RouteVerdict route={summary.crash} />
        </div>
      )}
      <div class="hint muted" data-testid="popup-hint">
        Open DevTools → Report Inspector for details.
      </div>
    </div>
  );
}

/** "This tab crashed at 12:03:04; report to https://… (delivered / not seen yet)" or why it will not be sent. */
function LastCrash({ crash }: { crash: NonNullable<TabSummary['lastCrash']> }) {
  const route = crash.predicted.route;
  const delivery = crashDeliveryText(crash, formatClockMs);
  const target = crash.delivery?.status === 'delivered' || (route.willDeliver && route.url);
  return (
    <div class="last-crash" data-testid="popup-last-crash" data-deliver={String(route.willDeliver)} data-status={delivery.status}>
      This tab crashed at {formatClock(crash.at)}
      {crash.reason && ` (${crash.reason})`};{' '}
      {target && route.url ? (
        <>
          report to <CappedText text={route.url} max={200} class="mono" /> ({delivery.text})
        </>
      ) : (
        <>report {delivery.text}</>
      )}
    </div>
  );
}
