/**
 * "Why no report?": for one route, every silent cause Chromium has for not delivering a report, each as a check
 * with a status, what it found, how to fix it and where the behaviour comes from (a Chromium source file, or
 * "verified here" for behaviour measured in Chromium 156, see DESIGN.md). Causes an extension cannot see are
 * `unknown` and say how to look, rather than guess. Pure: facts the caller learned are passed in.
 */
import type { DocumentAnalysis } from './routes';
import type { Route } from './types';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import { formatExpiry, originOfUrl } from '@/utils/display/format';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'unknown' | 'info';

export type CheckId =
  | 'page-https'
  | 'endpoint-https'
  | 'header-accepted'
  | 'name-resolves'
  | 'group-live'
  | 'include-subdomains'
  | 'document-response'
  | 'background-sync'
  | 'cookies'
  | 'cors'
  | 'certificate'
  | 'sampling'
  | 'endpoint-gone'
  | 'queue-limits'
  | 'delivery-delay'
  | 'browser';

export interface DoctorCheck {
  id: CheckId;
  status: CheckStatus;
  title: string;
  /** What was found, in a sentence. */
  detail: string;
  /** How to fix it (absent when nothing needs fixing). */
  fix?: string;
  /** Where the behaviour comes from. */
  source: string;
}

export interface RouteVerdict {
  /** `delivered`: every check passed; `unless`: nothing seen stops it, but a cause the extension cannot see might; `blocked`: a check failed. */
  verdict: 'delivered' | 'unless' | 'blocked';
  headline: string;
  checks: DoctorCheck[];
}

/** What the caller knows beyond the analysis. Everything is optional: an absent fact is reported as unknown. */
export interface DoctorFacts {
  now: number;
  /** `navigator.permissions.query({name: 'background-sync'})` in the page, when something asked. */
  backgroundSync?: 'granted' | 'denied' | 'prompt';
  /** Cookies are blocked for the page's origin (site settings), when known. */
  cookiesBlocked?: boolean;
  /** The browser turns the Reporting API off (Brave), when known. */
  reportingDisabledBy?: string | null;
  /** The last endpoint check the user ran for an endpoint URL, if any. */
  endpointCheck?: (url: string) => EndpointCheckResult | undefined;
  /** Non-document responses of the page's origin that carried `Reporting-Endpoints` (ignored by Chromium). */
  reportingEndpointsOnSubresources?: string[];
}

const VERIFIED = 'verified here in Chromium 156 (DESIGN.md)';
const SRC = {
  permissions:
    'chrome/browser/net/reporting_permissions_checker.cc (BACKGROUND_SYNC), via NetworkDelegate::OnCanSendReportingReports',
  cookies:
    'services/network/network_service_network_delegate.cc OnCanQueueReportingReport (cookie_settings IsCookieAccessAllowed)',
  uploader:
    'net/reporting/reporting_uploader.cc (CORS preflight for cross-origin endpoints; credentials only same-origin)',
  gone: 'net/reporting/reporting_delivery_agent.cc (Outcome::REMOVE_ENDPOINT on 410 Gone)',
  policy:
    'net/reporting/reporting_policy.cc (max_report_count 100, max_report_age 15 min, max_report_attempts 5, delivery_interval 1 min)',
  cache: 'net/reporting/reporting_cache_impl.cc GetCandidateEndpointsForDelivery',
  parser: 'net/reporting/reporting_header_parser.cc',
  nel: 'net/network_error_logging/network_error_logging_service.cc (each failure is reported with probability failure_fraction); verified here',
  certificate:
    'net/http/http_network_transaction.cc ProcessReportToHeader ("Only accept Report-To headers on HTTPS connections that have no certificate errors"); verified here',
} as const;

/** The `failure_fraction` of the document's NEL header when it is a number below 1 (reports are sampled), else null. */
function nelFailureFraction(analysis: DocumentAnalysis): number | null {
  const nel = analysis.document.headers.find((h) => h.name.toLowerCase() === 'nel');
  if (!nel) return null;
  try {
    // Chromium reads the first policy of the header (a comma-joined repeat makes the JSON invalid for it anyway).
    const parsed: unknown = JSON.parse(nel.value);
    const f = parsed && typeof parsed === 'object' ? (parsed as { failure_fraction?: unknown }).failure_fraction : 1;
    return typeof f === 'number' && f >= 0 && f < 1 ? f : null;
  } catch {
    return null;
  }
}

/** Why an endpoint named by the route was dropped for its scheme (`http://`), else null. */
function insecureEndpoint(route: Route): string | null {
  if (route.code !== 'route-endpoint-dropped') return null;
  return /\bhttp:|not (valid )?https|insecure|potentially trustworthy/i.test(route.reason ?? '')
    ? (route.reason ?? '')
    : null;
}

/** The browser that turns the Reporting API off, from what the extension page's `navigator` shows, else null. */
export function reportingDisabledBy(
  nav: { brave?: unknown; userAgentData?: { brands?: readonly { brand?: unknown }[] } } | undefined,
): string | null {
  if (!nav) return null;
  if (nav.brave !== undefined) return 'Brave';
  // The page-facing navigator is not trusted to match its type: check the shape before reading it.
  const brands: unknown = nav.userAgentData?.brands;
  const list = Array.isArray(brands) ? (brands as readonly { brand?: unknown }[]) : [];
  if (list.some((b) => typeof b?.brand === 'string' && /brave/i.test(b.brand))) return 'Brave';
  return null;
}

const NAME_CODES = new Set([
  'route-unresolved',
  'route-uppercase-name',
  'route-nel-needs-report-to',
  'route-endpoint-dropped',
  'route-needs-report-to',
  'crash-no-endpoint',
]);

/** The checklist and verdict for one route of a document. */
export function diagnoseRoute(route: Route, analysis: DocumentAnalysis, facts: DoctorFacts): RouteVerdict {
  const checks: DoctorCheck[] = [];
  const add = (c: DoctorCheck) => checks.push(c);
  const legacy = route.via === 'report-uri';
  const pageUrl = analysis.document.url;
  const pageOrigin = pageUrl ? originOfUrl(pageUrl) : null;
  const endpoints = route.endpoints ?? (route.url ? [{ url: route.url, priority: 1, weight: 1 }] : []);

  if (legacy) {
    add({
      id: 'page-https',
      status: 'info',
      title: 'Legacy report-uri',
      detail:
        'report-uri reports are sent by the page at once, not through the Reporting API queue, so none of its conditions below apply (they are sent from http pages too).',
      fix: 'Move to report-to with Reporting-Endpoints; browsers drop report-uri when a policy also has report-to.',
      source:
        'third_party/blink/renderer/core/frame/csp/content_security_policy.cc (report-uri goes through PingLoader)',
    });
    return finish(route, checks);
  }

  // 1. The page must be HTTPS.
  add(
    analysis.secure
      ? {
          id: 'page-https',
          status: 'pass',
          title: 'Page is HTTPS',
          detail: 'Chromium registers endpoints and queues reports for this page.',
          source: VERIFIED,
        }
      : {
          id: 'page-https',
          status: 'fail',
          title: 'Page is not HTTPS',
          detail: `${pageOrigin ?? pageUrl} is not HTTPS: Chromium never registers Reporting-Endpoints and sends no Reporting API report for it, http://localhost included (the spec counts localhost as trustworthy; Chromium does not).`,
          fix: 'Serve the page over https:// (locally: a throw-away CA trusted by the browser, or 127.0.0.1 with a trusted certificate).',
          source: VERIFIED,
        },
  );

  // 1b. The endpoint must be HTTPS too: Chromium drops http:// endpoints, http://localhost included
  // (net/reporting/reporting_header_parser.cc requires a potentially trustworthy URL; verified here).
  const insecure = insecureEndpoint(route);
  const plain = endpoints.filter((e) => !/^(https|wss):/i.test(e.url));
  if (insecure !== null || plain.length > 0) {
    add({
      id: 'endpoint-https',
      status: 'fail',
      title: 'Endpoint is not HTTPS',
      detail: `${insecure ? `${insecure}.` : `${plain[0]!.url} is not an https:// URL.`} Chromium drops endpoints that are not HTTPS, http://localhost included.`,
      fix: 'Give the endpoint an https:// URL (or a path starting with a single /, resolved against the HTTPS page).',
      source: `${SRC.parser}; ${VERIFIED}`,
    });
  } else if (endpoints.length > 0) {
    add({
      id: 'endpoint-https',
      status: 'pass',
      title: 'Endpoint is HTTPS',
      detail: `${endpoints.length === 1 ? 'The endpoint is' : 'Every endpoint is'} an HTTPS URL.`,
      source: SRC.parser,
    });
  }

  // 2. The header that configures the name must have been read at all.
  const rejected = analysis.rejected;
  if (rejected?.reportingEndpoints && analysis.secure) {
    const why = analysis.document.diagnostics.find((d) => d.header === 'reporting-endpoints' && d.ignored === true);
    add({
      id: 'header-accepted',
      status: route.willDeliver ? 'warn' : 'fail',
      title: 'Reporting-Endpoints rejected whole',
      detail: `Chromium ignored the whole Reporting-Endpoints header${why ? `: ${why.message}` : '.'}`,
      fix: 'Write it as a structured-field dictionary of quoted URLs: name="https://…", other="/path".',
      source: `${SRC.parser} (ParseReportingEndpoints)`,
    });
  }
  if (rejected?.reportTo && analysis.secure) {
    const why = analysis.document.diagnostics.find((d) => d.header === 'report-to' && d.ignored === true);
    add({
      id: 'header-accepted',
      status: route.via === 'report-to' || route.willDeliver ? 'warn' : 'fail',
      title: "This document's Report-To was ignored",
      detail: `Chromium ignored the whole Report-To header${why ? `: ${why.message}` : '.'} Groups an earlier response of the origin set still count.`,
      fix: 'Send valid JSON groups (the value is parsed as [ value ]), under 16 KiB, from an HTTPS response with a valid certificate.',
      source: `${SRC.parser}; net/reporting/reporting_service.cc`,
    });
  }
  if (!checks.some((c) => c.id === 'header-accepted') && analysis.secure) {
    add({
      id: 'header-accepted',
      status: 'pass',
      title: 'Headers accepted',
      detail: 'Chromium reads the reporting headers of this document.',
      source: SRC.parser,
    });
  }

  // 3. The name must resolve.
  if (route.willDeliver) {
    add({
      id: 'name-resolves',
      status: 'pass',
      title: 'Endpoint found',
      detail: `${route.endpointName ? `"${route.endpointName}"` : 'The report'} resolves to ${endpoints.map((e) => e.url).join(', ')} (${route.via === 'report-to' ? 'Report-To group' : 'Reporting-Endpoints'}).`,
      source: SRC.cache,
    });
  } else if (route.code && NAME_CODES.has(route.code) && insecure === null) {
    add({
      id: 'name-resolves',
      status: 'fail',
      title: 'No endpoint',
      detail: `${route.reason ?? 'The name resolves to nothing'}.`,
      fix: fixFor(route),
      source: SRC.cache,
    });
  }

  // 4. Report-To groups expire and are removed.
  if (
    route.code === 'route-group-expired' ||
    route.code === 'route-group-removed' ||
    route.code === 'route-group-rejected'
  ) {
    add({
      id: 'group-live',
      status: 'fail',
      title:
        route.code === 'route-group-expired'
          ? 'Group expired'
          : route.code === 'route-group-removed'
            ? 'Group removed'
            : 'Group rejected',
      detail: `${route.reason}.`,
      fix: 'Send the Report-To header with every group on every response that sets it, with a max_age longer than a visit, or move to Reporting-Endpoints.',
      source: `${SRC.cache}; ${SRC.parser}`,
    });
  } else if (route.group) {
    const left = route.group.expiresAt - facts.now;
    add({
      id: 'group-live',
      status: left < 5 * 60_000 ? 'warn' : 'pass',
      title: 'Group live',
      detail: `Report-To group "${route.group.name}" of ${route.group.origin} ${formatExpiry(route.group.expiresAt, facts.now)}.`,
      fix: left < 5 * 60_000 ? 'Raise max_age, or send the header again before it runs out.' : undefined,
      source: SRC.cache,
    });
  }

  // 5. include_subdomains.
  if (route.code === 'route-include-subdomains-refused') {
    add({
      id: 'include-subdomains',
      status: 'fail',
      title: 'include_subdomains refused',
      detail: `${route.reason}.`,
      fix: 'Drop "include_subdomains": true, or serve from a host with a registrable domain (127.0.0.1 works, localhost does not).',
      source: `${SRC.parser}; ${VERIFIED}`,
    });
  } else if (route.group?.viaSubdomains) {
    add({
      id: 'include-subdomains',
      status: 'pass',
      title: 'Served by a parent domain',
      detail: `The group comes from ${route.group.origin} through include_subdomains.`,
      source: SRC.cache,
    });
  }

  // 6. Reporting-Endpoints counts on the document's own response only.
  const onSubresources = facts.reportingEndpointsOnSubresources ?? [];
  if (route.code === 'route-endpoint-not-on-document') {
    add({
      id: 'document-response',
      status: 'fail',
      title: 'Reporting-Endpoints on a subresource',
      detail: `${route.reason}.`,
      fix: 'Send Reporting-Endpoints with the HTML response of the page (and of each iframe).',
      source: VERIFIED,
    });
  } else if (onSubresources.length > 0 && analysis.endpoints.length === 0) {
    add({
      id: 'document-response',
      status: route.willDeliver ? 'warn' : 'fail',
      title: 'Reporting-Endpoints on a subresource',
      detail: `Reporting-Endpoints came on ${onSubresources.slice(0, 3).join(', ')}${onSubresources.length > 3 ? ` and ${onSubresources.length - 3} more` : ''}, not on the document: Chromium ignores it there.`,
      fix: 'Send Reporting-Endpoints with the HTML response of the page (and of each iframe).',
      source: VERIFIED,
    });
  } else if (route.via === 'reporting-endpoints') {
    add({
      id: 'document-response',
      status: 'pass',
      title: "On the document's response",
      detail: 'The endpoint came with the page itself, where Chromium reads it.',
      source: VERIFIED,
    });
  }

  const reachable = route.willDeliver;
  if (reachable) {
    // 7. Cross-origin endpoints: preflight, no cookies. 410 removes the endpoint.
    const cross = endpoints.filter((e) => originOfUrl(e.url) !== pageOrigin);
    const checked = endpoints
      .map((e) => facts.endpointCheck?.(e.url))
      .filter((x): x is EndpointCheckResult => x !== undefined);
    const badPreflight = checked.find(
      (c) =>
        !c.sameOrigin &&
        (c.preflight.status === null || c.preflight.status < 200 || c.preflight.status > 299 || c.verdict === 'fail'),
    );
    if (cross.length === 0) {
      add({
        id: 'cors',
        status: 'pass',
        title: 'Same-origin endpoint',
        detail: 'No CORS preflight; the upload carries cookies.',
        source: SRC.uploader,
      });
    } else if (badPreflight) {
      add({
        id: 'cors',
        status: 'fail',
        title: 'CORS preflight fails',
        detail: `${badPreflight.url}: ${badPreflight.summary}`,
        fix: 'Answer OPTIONS with 2xx, Access-Control-Allow-Origin: * (or the page origin) and Access-Control-Allow-Headers: content-type.',
        source: SRC.uploader,
      });
    } else {
      add({
        id: 'cors',
        status: checked.length > 0 ? 'pass' : 'info',
        title: 'Cross-origin endpoint',
        detail: `${cross[0]!.url} is cross-origin: Chromium first sends a CORS preflight (OPTIONS) and uploads without cookies${checked.length > 0 ? '; the last check passed' : ''}.`,
        fix:
          checked.length > 0
            ? undefined
            : 'Use "Check endpoint" on the Endpoints tab to send the preflight; the collector must not need cookies.',
        source: SRC.uploader,
      });
    }
    const gone = checked.find((c) => c.upload.status === 410);
    const failing = checked.find(
      (c) => c.upload.status !== null && (c.upload.status < 200 || c.upload.status > 299) && c.upload.status !== 410,
    );
    add(
      gone
        ? {
            id: 'endpoint-gone',
            status: 'fail',
            title: '410 Gone',
            detail: `${gone.url} answered 410 Gone: Chromium removes the endpoint and sends nothing more there until the header comes again.`,
            fix: 'Answer 2xx to report uploads.',
            source: SRC.gone,
          }
        : failing
          ? {
              id: 'endpoint-gone',
              status: 'warn',
              title: 'Upload fails',
              detail: `${failing.url} answered ${failing.upload.status}: Chromium retries up to 5 times, backing off from 1 minute, then drops the report.`,
              fix: 'Answer 2xx to report uploads.',
              source: SRC.gone,
            }
          : {
              id: 'endpoint-gone',
              status: checked.length > 0 ? 'pass' : 'info',
              title: 'Endpoint answers',
              detail:
                checked.length > 0
                  ? 'The last test upload was accepted.'
                  : 'A collector answering 410 Gone makes Chromium remove the endpoint; other errors are retried with back-off.',
              source: SRC.gone,
            },
    );
  }

  // 7b. Report-To groups come only from responses with a valid certificate: with a certificate error, even one the
  // user clicked through or --ignore-certificate-errors, Chromium skips the header (Reporting-Endpoints still works).
  if (route.via === 'report-to') {
    add({
      id: 'certificate',
      status: 'info',
      title: 'Certificate',
      detail:
        'Chromium reads Report-To only from responses whose certificate is valid; after a certificate error (even a bypassed one, or --ignore-certificate-errors) the group is never set. The extension cannot see certificate errors.',
      fix: 'Test with a certificate the browser trusts (locally: a throw-away CA added to the browser), or use Reporting-Endpoints.',
      source: SRC.certificate,
    });
  }

  // 7c. NEL samples: each failure is reported with probability failure_fraction (default 1).
  if (route.reportType === 'network-error') {
    const fraction = nelFailureFraction(analysis);
    add(
      fraction === null
        ? {
            id: 'sampling',
            status: 'pass',
            title: 'Every failure reported',
            detail: 'NEL failure_fraction is 1 (the default): Chromium reports every network error of this origin.',
            source: SRC.nel,
          }
        : {
            id: 'sampling',
            status: 'warn',
            title: 'Failures are sampled',
            detail:
              fraction === 0
                ? 'NEL failure_fraction is 0: Chromium reports no network error of this origin.'
                : `NEL failure_fraction is ${fraction}: Chromium reports about 1 in ${Math.round(1 / fraction)} network errors, chosen at random, so one failure often sends nothing.`,
            fix: 'While testing, send "failure_fraction": 1 (and "success_fraction": 1 to see successful requests too).',
            source: SRC.nel,
          },
    );
  }

  // 8. What the extension cannot see.
  add(
    facts.backgroundSync === 'granted'
      ? {
          id: 'background-sync',
          status: 'pass',
          title: 'Background Sync allowed',
          detail: 'The page reports the background-sync permission as granted.',
          source: SRC.permissions,
        }
      : facts.backgroundSync === 'denied' || facts.backgroundSync === 'prompt'
        ? {
            id: 'background-sync',
            status: 'fail',
            title: 'Background Sync not allowed',
            detail: `The page's background-sync permission is "${facts.backgroundSync}": Chromium uploads reports only for origins where it is granted.`,
            fix: 'Allow Background Sync for the site (site settings, or chrome://settings/content/backgroundSync).',
            source: SRC.permissions,
          }
        : {
            id: 'background-sync',
            status: 'unknown',
            title: 'Background Sync permission',
            detail:
              'Cannot be seen from here. Chromium uploads reports only for origins whose Background Sync permission is granted (it is by default).',
            fix: "Check: run await navigator.permissions.query({name: 'background-sync'}) in the page's console, or chrome://settings/content/backgroundSync.",
            source: SRC.permissions,
          },
  );
  add(
    facts.cookiesBlocked === true
      ? {
          id: 'cookies',
          status: 'fail',
          title: 'Cookies blocked',
          detail: 'Cookies are blocked for this origin: Chromium does not even queue its reports.',
          fix: 'Allow cookies for the site.',
          source: SRC.cookies,
        }
      : facts.cookiesBlocked === false
        ? {
            id: 'cookies',
            status: 'pass',
            title: 'Cookies allowed',
            detail: 'Chromium queues reports for this origin.',
            source: SRC.cookies,
          }
        : {
            id: 'cookies',
            status: 'unknown',
            title: 'Cookies for the site',
            detail: 'Cannot be seen from here. Chromium queues no report for an origin whose cookies are blocked.',
            fix: "Check the site's cookie setting (the icon left of the address bar → Cookies and site data, or chrome://settings/cookies).",
            source: SRC.cookies,
          },
  );
  add(
    facts.reportingDisabledBy
      ? {
          id: 'browser',
          status: 'fail',
          title: `${facts.reportingDisabledBy} turns reporting off`,
          detail: `${facts.reportingDisabledBy} disables the Reporting API: it sends no reports at all.`,
          fix: 'Test delivery in Chrome, Edge or Chromium.',
          source: 'https://github.com/brave/brave-browser/issues/7956',
        }
      : {
          id: 'browser',
          status: 'info',
          title: 'Browser',
          detail:
            'Chrome, Edge and Chromium deliver; Brave turns the Reporting API off, and builds made with enable_reporting=false (Bromite) send nothing.',
          source: 'https://github.com/brave/brave-browser/issues/7956',
        },
  );
  add({
    id: 'queue-limits',
    status: 'info',
    title: 'Queue limits',
    detail:
      'Chromium keeps at most 100 queued reports (newer ones are dropped silently) and each for at most 15 minutes, with 5 attempts.',
    fix: 'While testing, restart the browser after many reports.',
    source: SRC.policy,
  });
  add({
    id: 'delivery-delay',
    status: 'info',
    title: 'Delivery delay',
    detail:
      route.reportType === 'crash'
        ? 'Crash reports were measured to arrive within about 100 ms of the crash.'
        : 'Chromium uploads queued reports about once a minute, so a report can take a minute to arrive.',
    fix:
      route.reportType === 'crash'
        ? undefined
        : 'Launch Chromium with --short-reporting-delay to deliver within a fraction of a second while testing.',
    source: route.reportType === 'crash' ? VERIFIED : SRC.policy,
  });
  return finish(route, checks);
}

function fixFor(route: Route): string {
  switch (route.code) {
    case 'route-uppercase-name':
      return 'Write the name in lower case, in the header and in Reporting-Endpoints.';
    case 'route-nel-needs-report-to':
      return `Add a Report-To group named "${route.endpointName}" (NEL does not read Reporting-Endpoints).`;
    case 'route-endpoint-dropped':
      return 'Give the endpoint an absolute https:// URL or a path starting with a single /.';
    case 'route-needs-report-to':
      return "Add report-to <name> to the policy that has 'report-sha256', and define the name in Reporting-Endpoints.";
    case 'crash-no-endpoint':
      return 'Add Reporting-Endpoints: crash-reporting="https://…" (or default="https://…").';
    default:
      return `Define "${route.endpointName ?? 'default'}" in Reporting-Endpoints, e.g. ${route.endpointName ?? 'default'}="https://…".`;
  }
}

function finish(route: Route, checks: DoctorCheck[]): RouteVerdict {
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) {
    return {
      verdict: 'blocked',
      headline: `Will not be delivered: ${failed.map((c) => c.title.toLowerCase()).join('; ')}.`,
      checks,
    };
  }
  const unknown = checks.filter((c) => c.status === 'unknown');
  const where = route.url ? ` to ${route.url}` : '';
  if (unknown.length > 0) {
    return {
      verdict: 'unless',
      headline: `Will be delivered${where}, unless ${unknown.map((c) => c.title.toLowerCase()).join(' or ')} stops it (not visible from here).`,
      checks,
    };
  }
  return { verdict: 'delivered', headline: `Will be delivered${where}.`, checks };
}
