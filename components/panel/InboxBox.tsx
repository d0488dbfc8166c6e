import { formatClock, formatClockMs, plural } from '@/utils/display/format';
import { REPORT_TYPE_LABELS } from '@/utils/tab/report-types';
import type { ReportType } from '@/utils/headers/types';
import { CappedText, UrlText } from '@/components/common/text';
import type { DeliveryControls } from './delivery';

export type InboxBoxProps = Pick<DeliveryControls, 'inboxUrl' | 'onInboxUrl' | 'inbox' | 'onReadInbox'>;

const label = (type: string) => REPORT_TYPE_LABELS[type as ReportType] ?? type;

/**
 * "Read collector inbox": on click, one GET to the collector address the user gave, then each crash of the tab
 * says whether its report arrived. Reports the page observed are matched too.
 */
export function InboxBox({ inboxUrl, onInboxUrl, inbox, onReadInbox }: InboxBoxProps) {
  if (!onReadInbox) return null;
  const result = inbox?.result;
  const delivered = result?.match.live.filter((l) => l.status === 'delivered').length ?? 0;
  return (
    <section class="card inbox" data-testid="inbox">
      <h3>Collector inbox</h3>
      <div class="muted">
        Where your reports are collected, if the collector lists what it received as JSON (like the demo collector's{' '}
        <code class="mono">GET /reports</code>). Nothing is requested until you click the button.
      </div>
      <form
        class="line inbox-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onReadInbox();
        }}
      >
        <input
          class="search inbox-url"
          type="url"
          aria-label="Collector inbox address"
          data-testid="inbox-url"
          value={inboxUrl}
          spellcheck={false}
          onInput={(e) => onInboxUrl?.(e.currentTarget.value)}
        />
        <button type="submit" class="btn" data-testid="read-inbox" disabled={inbox?.pending}>
          {inbox?.pending ? 'Reading…' : 'Read collector inbox'}
        </button>
        <span class="muted">makes one GET request to this address</span>
      </form>
      {inbox?.error && (
        <div class="bad" data-testid="inbox-error" role="status">
          <CappedText text={inbox.error} max={500} />
        </div>
      )}
      {result && (
        <div data-testid="inbox-result" role="status">
          <div>
            Read at {formatClock(result.fetchedAt)}: {plural(result.match.uploads, 'upload')} with{' '}
            {plural(result.match.reports, 'report')} ({plural(result.match.crashReports, 'crash report')})
            {result.ignored > 0 && (
              <span class="muted"> · {plural(result.ignored, 'entry', 'entries')} not understood</span>
            )}
            {result.match.live.length > 0 && (
              <>
                {' '}
                · {delivered} of {plural(result.match.live.length, 'report')} seen in the page arrived
              </>
            )}
          </div>
          {result.match.live.length > 0 && (
            <ul class="notes" data-testid="inbox-live">
              {result.match.live.map((l) => (
                <li key={l.seq} data-testid="inbox-live-row" data-status={l.status} data-type={l.type}>
                  <span class="rtype">{label(l.type)}</span> <UrlText url={l.url} />{' '}
                  {l.status === 'delivered' ? (
                    <span class="good">
                      delivered (received {formatClockMs(l.receivedAt ?? 0)}
                      {l.endpointPath ? ` at ${l.endpointPath}` : ''})
                    </span>
                  ) : (
                    <span class="muted">not seen yet</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
