import type { Route } from '@/utils/tab/types';
import { UrlText } from './text';

export interface RouteVerdictProps {
  route: Route;
  /** What is routed, e.g. `crash reports`: "crash reports → default → https://…". */
  subject?: string;
  /** Phrase as a prediction: "will go to default → https://…". */
  future?: boolean;
  testId?: string;
}

const VIA: Record<NonNullable<Route['via']>, string> = {
  'reporting-endpoints': 'Reporting-Endpoints',
  'report-to': 'Report-To group',
  'report-uri': 'legacy report-uri',
};

/** Where a report goes (endpoint name → URL) or why it will not be sent, as one line of text. */
export function RouteVerdict({ route, subject, future, testId }: RouteVerdictProps) {
  if (route.willDeliver && route.url) {
    return (
      <span class="verdict ok" data-testid={testId} data-deliver="true">
        {subject && <>{subject} </>}
        {future ? 'will go to ' : subject ? '→ ' : ''}
        {route.endpointName !== null && (
          <>
            <code class="mono name">{route.endpointName}</code>
            {' → '}
          </>
        )}
        <UrlText url={route.url} />
        {route.via && <span class="via"> ({VIA[route.via]})</span>}
      </span>
    );
  }
  return (
    <span class="verdict bad" data-testid={testId} data-deliver="false">
      {subject && <>{subject} </>}
      will not be sent:{' '}
      {route.reason ?? (route.endpointName ? `nothing resolves "${route.endpointName}"` : 'no endpoint')}
    </span>
  );
}
