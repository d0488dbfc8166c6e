import type { TabSummary } from '@/utils/tab/types';
import { formatClockMs, formatExpiry } from '@/utils/display/format';
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
    body: "This is one of the browser's own pages: it has no response headers and sends no reports. Open a website to inspect it.",
  },
  insecure: {
    title: 'Not HTTPS',
    body: 'Chromium registers no reporting endpoints and sends no reports for pages that are not HTTPS (localhost included). Serve the page over HTTPS.',
  },
  'nothing-configured': {
    title: 'Nothing configured',
    body: 'This page sends no reporting headers and no Report-To group of its origin applies: crash, CSP and deprecation reports go nowhere. Add a Reporting-Endpoints header with a default endpoint.',
  },
  'nothing-kept': {
    title: 'Sent, but nothing kept',
    body: 'This page sends reporting headers, but Chromium keeps no endpoint or group from them (see the lines below for why): crash, CSP and deprecation reports go nowhere.',
  },
  unknown: {
    title: 'No data yet',
    body: 'Reload the page to capture its headers: Report Inspector sees responses that arrive while it is installed.',
  },
};

/** The popup: the headline first, the tab's (scrubbed) URL, one line per aspect, the last crash, crash simulation. */
export function PopupView({ summary, now, copy }: PopupViewProps) {
  const kindMessage = summary.kind === 'configured' ? null : KIND_MESSAGE[summary.kind];
  return (
    <div class="popup" data-kind={summary.kind} data-level={summary.level}>
      <header>
        <div class={`headline level-${summary.level}`} data-testid="popup-headline" data-level={summary.level}>
          {summary.headline}
        </div>
        <div class="url muted mono" data-testid="popup-url">
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
      {summary.lastCrash && summary.lastCrashText && (
        <div
          class="last-crash"
          data-testid="popup-last-crash"
          data-deliver={String(summary.lastCrash.predicted.route.willDeliver)}
          data-status={crashDeliveryText(summary.lastCrash, formatClockMs).status}
        >
          <CappedText text={summary.lastCrashText} max={600} />
        </div>
      )}
      {summary.canCrash && <SimulateCrash crash={summary.crash} copy={copy} />}
      {summary.canCrash && !summary.lines.some((l) => l.key === 'crash') && (
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
