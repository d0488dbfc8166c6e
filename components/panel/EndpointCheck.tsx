import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import { formatClock } from '@/utils/display/format';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText } from '@/components/common/text';
import { MessageText } from '@/components/common/MessageText';
import type { AsyncState } from './delivery';

export interface EndpointCheckProps {
  url: string;
  pageUrl: string;
  state?: AsyncState<EndpointCheckResult>;
  onCheck?: (url: string, pageUrl: string) => void;
}

/** Whether the check can run for this URL: Chromium uploads to https and wss endpoints only. */
function checkable(url: string): boolean {
  return /^(https|wss):/i.test(url);
}

/** What the check does, said once above the endpoints rather than on every row. */
export const CHECK_HELP =
  'Check endpoint sends a CORS preflight and one test report to the endpoint, only when you click it.';

/** Whether a check can run for `url` (https or wss, and a handler). */
export function canCheck(url: string, onCheck?: EndpointCheckProps['onCheck']): boolean {
  return !!onCheck && checkable(url);
}

/** The "Check endpoint" button of a row (its result shows in the row's details). */
export function EndpointCheckButton({ url, pageUrl, state, onCheck }: EndpointCheckProps) {
  if (!onCheck || !checkable(url)) return null;
  return (
    <span class="endpoint-check" data-testid="endpoint-check">
      <button
        type="button"
        class="btn"
        data-testid="check-endpoint-button"
        title="Sends a CORS preflight and one test report to this URL"
        disabled={state?.pending}
        onClick={() => onCheck(url, pageUrl)}
      >
        {state?.pending ? 'Checking…' : state?.result || state?.error ? 'Check again' : 'Check'}
      </button>
      {state?.result && (
        <span class={`check-verdict verdict-${state.result.verdict}`} data-testid="endpoint-check-verdict">
          {' '}
          {state.result.verdict === 'ok' ? '✓' : state.result.verdict === 'warning' ? '!' : '✕'}
        </span>
      )}
    </span>
  );
}

/**
 * The result of "Check endpoint": what Chromium would make of the endpoint's answers to a CORS preflight and a
 * test report. Nothing while no check ran.
 */
export function EndpointCheckResult({ state }: { state?: AsyncState<EndpointCheckResult> }) {
  const result = state?.result;
  if (!state?.error && !result) return null;
  return (
    <div class="endpoint-check-out">
      {state?.error && (
        <div class="line bad" data-testid="endpoint-check-error" role="status">
          <CappedText text={state.error} max={500} />
        </div>
      )}
      {result && (
        <div
          class={`check-result verdict-${result.verdict}`}
          data-testid="endpoint-check-result"
          data-verdict={result.verdict}
          role="status"
        >
          <div class="line">
            <SeverityIcon
              severity={result.verdict === 'ok' ? 'ok' : result.verdict === 'warning' ? 'warning' : 'error'}
            />
            <span class="grow" data-testid="endpoint-check-summary">
              <MessageText text={result.summary} max={600} />
            </span>
            <span class="muted">at {formatClock(result.checkedAt)}</span>
          </div>
          <div class="kvs check-details">
            <div>
              Preflight (OPTIONS): {result.preflight.status ?? 'no answer'}, {result.preflight.latencyMs} ms
              {result.sameOrigin && <span class="muted"> (not needed: same origin as the page)</span>}
            </div>
            <div class="mono">
              Access-Control-Allow-Origin: {result.preflight.allowOrigin ?? '(missing)'} · Access-Control-Allow-Headers:{' '}
              {result.preflight.allowHeaders ?? '(missing)'} · Access-Control-Allow-Methods:{' '}
              {result.preflight.allowMethods ?? '(missing)'}
            </div>
            <div>
              Test report (POST): {result.upload.status ?? 'no answer'}, {result.upload.latencyMs} ms
            </div>
            {!result.sameOrigin && (
              <div class="muted">
                The browser's own preflight also carries Origin and Access-Control-Request-Method/-Headers, which an
                extension cannot set: a server that only answers real preflights may answer the browser differently.
              </div>
            )}
            {result.findings.map((f) => (
              <div
                class="line"
                key={f.code}
                data-testid="endpoint-check-finding"
                data-code={f.code}
                data-severity={f.severity}
              >
                <SeverityIcon severity={f.severity} />
                <MessageText text={f.message} max={600} />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** Button and result together, for places without a details pane. */
export function EndpointCheck(props: EndpointCheckProps) {
  if (!canCheck(props.url, props.onCheck)) return null;
  return (
    <div class="endpoint-check-block">
      <EndpointCheckButton {...props} />
      <EndpointCheckResult state={props.state} />
    </div>
  );
}
