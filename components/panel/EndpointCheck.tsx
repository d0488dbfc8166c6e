import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import { formatClock } from '@/utils/display/format';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText } from '@/components/common/text';
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

/**
 * "Check endpoint": on click only, sends a CORS preflight and one test report to the endpoint, then shows what
 * Chromium would make of the answers, next to the endpoint.
 */
export function EndpointCheck({ url, pageUrl, state, onCheck }: EndpointCheckProps) {
  if (!onCheck || !checkable(url)) return null;
  const result = state?.result;
  return (
    <div class="endpoint-check" data-testid="endpoint-check">
      <div class="line">
        <button
          type="button"
          class="btn"
          data-testid="check-endpoint-button"
          disabled={state?.pending}
          onClick={() => onCheck(url, pageUrl)}
        >
          {state?.pending ? 'Checking…' : result || state?.error ? 'Check again' : 'Check endpoint'}
        </button>
        <span class="muted">sends a CORS preflight and one test report to this URL</span>
      </div>
      {state?.error && (
        <div class="line bad" data-testid="endpoint-check-error" role="status">
          <CappedText text={state.error} max={500} />
        </div>
      )}
      {result && (
        <div class={`check-result verdict-${result.verdict}`} data-testid="endpoint-check-result" data-verdict={result.verdict} role="status">
          <div class="line">
            <SeverityIcon severity={result.verdict === 'ok' ? 'ok' : result.verdict === 'warning' ? 'warning' : 'error'} />
            <span class="grow" data-testid="endpoint-check-summary">
              <CappedText text={result.summary} max={600} />
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
              {result.preflight.allowHeaders ?? '(missing)'} · Access-Control-Allow-Methods: {result.preflight.allowMethods ?? '(missing)'}
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
              <div class="line" key={f.code} data-testid="endpoint-check-finding" data-code={f.code} data-severity={f.severity}>
                <SeverityIcon severity={f.severity} />
                <CappedText text={f.message} max={600} />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
