import type { CheckStatus, RouteVerdict } from '@/utils/tab/doctor';
import { CappedText } from '@/components/common/text';

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', unknown: '?', info: 'i' };
const STATUS_TEXT: Record<CheckStatus, string> = {
  pass: 'ok',
  fail: 'fails',
  warn: 'warning',
  unknown: 'not visible from here',
  info: 'note',
};

/**
 * "Why no report?" for one route: the verdict as a line of text, and the checklist behind it (each check with what
 * it found, how to fix it and the Chromium source it follows) in a disclosure.
 */
export function RouteDoctor({ verdict }: { verdict: RouteVerdict }) {
  const failed = verdict.checks.filter((c) => c.status === 'fail').length;
  const unknown = verdict.checks.filter((c) => c.status === 'unknown').length;
  return (
    <div class={`doctor doctor-${verdict.verdict}`} data-testid="route-doctor" data-verdict={verdict.verdict}>
      <div class="doctor-headline" data-testid="route-doctor-headline">
        <CappedText text={verdict.headline} max={600} />
      </div>
      <details class="doctor-details" data-testid="route-doctor-details">
        <summary>
          Why? {verdict.checks.length} checks
          {failed > 0 && <>, {failed} failed</>}
          {unknown > 0 && <>, {unknown} not visible from here</>}
        </summary>
        <ul class="checklist">
          {verdict.checks.map((c, i) => (
            <li
              class={`check check-${c.status}`}
              key={`${c.id} ${i}`}
              data-testid="doctor-check"
              data-check={c.id}
              data-status={c.status}
            >
              <span class="check-mark" aria-label={STATUS_TEXT[c.status]}>
                {MARK[c.status]}
              </span>{' '}
              <span class="check-title">{c.title}</span>: <CappedText text={c.detail} max={800} />
              {c.fix && (
                <div class="check-fix" data-testid="doctor-fix">
                  Fix: <CappedText text={c.fix} max={500} />
                </div>
              )}
              <div class="check-source muted">{c.source}</div>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
