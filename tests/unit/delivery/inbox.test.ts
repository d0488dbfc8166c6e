import { describe, expect, it } from 'vitest';
import {
  applyInboxMatch,
  compareCrashReport,
  comparisonMatches,
  crashDeliveryText,
  deliveryOf,
  matchInbox,
  parseInbox,
  type InboxUpload,
} from '@/utils/delivery/inbox';
import { NOT_OPTED_IN } from '@/utils/tab/crash-report';
import type { DeliveredReport } from '@/utils/delivery/types';
import { emptyTabState, type CrashEntry, type Route } from '@/utils/tab/types';
import { type LiveReport } from '@/utils/page/types';

const PAGE = 'https://127.0.0.1:8443/good';
const T = Date.UTC(2026, 10, 21, 12, 3, 4);
const INBOX = 'https://127.0.0.1:8443/reports';

const deliverRoute: Route = {
  reportType: 'crash',
  endpointName: 'default',
  url: 'https://127.0.0.1:8443/reports/default',
  via: 'reporting-endpoints',
  header: '(implicit)',
  detail: 'crash-reporting, else default',
  reportOnly: false,
  willDeliver: true,
};
const noRoute: Route = {
  ...deliverRoute,
  endpointName: null,
  url: null,
  via: null,
  willDeliver: false,
  reason: 'no "crash-reporting" or "default" endpoint',
};

function crash(at: number, url = PAGE, route: Route = deliverRoute): CrashEntry {
  return {
    id: `crash@${at}`,
    at,
    url,
    detectedBy: 'port-disconnect',
    breadcrumbs: [],
    predicted: { body: { type: 'crash', url, is_top_level: true, visibility_state: 'visible' }, route },
  };
}

function upload(
  receivedAt: number,
  reports: { type: string; url: string; age?: number; body?: object }[],
  path = '/reports/default',
): unknown {
  return {
    receivedAt,
    endpoint: path.split('/').pop(),
    path,
    contentType: 'application/reports+json',
    userAgent: 'UA',
    reports,
  };
}

const parse = (raw: unknown[]): InboxUpload[] => parseInbox(raw).uploads;

describe('collector inbox', () => {
  it('parses the demo collector format and skips what it does not understand', () => {
    const { uploads, ignored } = parseInbox([
      upload(T, [{ type: 'crash', url: PAGE, age: 10, body: { is_top_level: true } }]),
      { receivedAt: 'yesterday', reports: [] },
      upload(T, [{ 'csp-report': { 'document-uri': PAGE } } as never]),
      null,
    ]);
    expect(uploads).toHaveLength(2);
    expect(uploads[0]!.reports[0]).toEqual({ type: 'crash', url: PAGE, age: 10, body: { is_top_level: true } });
    expect(uploads[1]!.reports).toEqual([]);
    expect(ignored).toBe(3);
    expect(() => parseInbox({ reports: [] })).toThrow(/JSON array/);
  });

  it('matches a crash to the crash report generated around its time (receivedAt − age), at the endpoint it reached', () => {
    const m = matchInbox(parse([upload(T + 130, [{ type: 'crash', url: PAGE, age: 20 }])]), [crash(T)], []);
    expect(m.crashes).toEqual([
      {
        crashId: `crash@${T}`,
        status: 'delivered',
        receivedAt: T + 130,
        endpointPath: '/reports/default',
        report: { age: 20, type: 'crash', url: PAGE, body: {} },
      },
    ]);
    expect(m).toMatchObject({ uploads: 1, reports: 1, crashReports: 1 });
  });

  it('does not match another URL, another type or a report far from the crash', () => {
    const uploads = parse([
      upload(T, [{ type: 'crash', url: 'https://127.0.0.1:8443/other', age: 0 }]),
      upload(T, [{ type: 'deprecation', url: PAGE, age: 0 }]),
      upload(T + 120_000, [{ type: 'crash', url: PAGE, age: 0 }]),
    ]);
    expect(matchInbox(uploads, [crash(T)], []).crashes[0]!.status).toBe('not-seen');
    // `age` brings a late upload back to its generation time.
    const late = parse([upload(T + 120_000, [{ type: 'crash', url: PAGE, age: 119_900 }])]);
    expect(matchInbox(late, [crash(T)], []).crashes[0]!.status).toBe('delivered');
  });

  it('gives each report to one crash only, the closest in time, and ignores the URL fragment', () => {
    const uploads = parse([upload(T + 5_050, [{ type: 'crash', url: PAGE, age: 0 }])]);
    const m = matchInbox(uploads, [crash(T), crash(T + 5_000, `${PAGE}#frag`)], []);
    expect(m.crashes.map((c) => [c.crashId, c.status])).toEqual([
      [`crash@${T}`, 'not-seen'],
      [`crash@${T + 5_000}`, 'delivered'],
    ]);
  });

  it('says a crash whose report cannot be sent will not be sent, unless the collector got it anyway', () => {
    const m = matchInbox([], [crash(T, PAGE, noRoute)], []);
    expect(m.crashes[0]).toEqual({ crashId: `crash@${T}`, status: 'will-not-be-sent', reason: noRoute.reason });
    const surprise = matchInbox(parse([upload(T, [{ type: 'crash', url: PAGE }])]), [crash(T, PAGE, noRoute)], []);
    expect(surprise.crashes[0]!.status).toBe('delivered');
  });

  it('matches reports the page observed to uploaded ones by type, URL, time and body', () => {
    const live: LiveReport[] = [
      {
        seq: 1,
        frameId: 0,
        type: 'csp-violation',
        url: PAGE,
        body: { blockedURL: 'https://127.0.0.1:1/a.png', effectiveDirective: 'img-src' },
        observedAt: T,
      },
      {
        seq: 2,
        frameId: 0,
        type: 'csp-violation',
        url: PAGE,
        body: { blockedURL: 'https://127.0.0.1:1/b.png', effectiveDirective: 'img-src' },
        observedAt: T + 10,
      },
      { seq: 3, frameId: 0, type: 'deprecation', url: PAGE, body: { id: 'X' }, observedAt: T },
    ];
    const uploads = parse([
      upload(
        T + 400,
        [
          {
            type: 'csp-violation',
            url: PAGE,
            age: 390,
            body: { blockedURL: 'https://127.0.0.1:1/b.png', effectiveDirective: 'img-src' },
          },
          {
            type: 'csp-violation',
            url: PAGE,
            age: 400,
            body: { blockedURL: 'https://127.0.0.1:1/a.png', effectiveDirective: 'img-src' },
          },
        ],
        '/reports/csp',
      ),
    ]);
    const m = matchInbox(uploads, [], live);
    expect(m.live).toEqual([
      {
        seq: 1,
        type: 'csp-violation',
        url: PAGE,
        status: 'delivered',
        receivedAt: T + 400,
        endpointPath: '/reports/csp',
      },
      { seq: 3, type: 'deprecation', url: PAGE, status: 'not-seen' },
      {
        seq: 2,
        type: 'csp-violation',
        url: PAGE,
        status: 'delivered',
        receivedAt: T + 400,
        endpointPath: '/reports/csp',
      },
    ]);
  });

  it('keeps the verdict on each crash, and never forgets a delivery', () => {
    const s0 = { ...emptyTabState(1, T), crashes: [crash(T), crash(T - 60_000)] };
    const delivered = matchInbox(parse([upload(T + 50, [{ type: 'crash', url: PAGE, age: 40 }])]), s0.crashes, []);
    const s1 = applyInboxMatch(s0, delivered, T + 1000, INBOX);
    expect(s1.crashes[0]!.delivery).toEqual({
      status: 'delivered',
      checkedAt: T + 1000,
      inboxUrl: INBOX,
      receivedAt: T + 50,
      endpointPath: '/reports/default',
      report: { age: 40, type: 'crash', url: PAGE, body: {} },
    });
    expect(s1.crashes[1]!.delivery).toEqual({ status: 'not-seen', checkedAt: T + 1000, inboxUrl: INBOX });
    // The collector was cleared: the delivered crash stays delivered.
    const s2 = applyInboxMatch(s1, matchInbox([], s1.crashes, []), T + 2000, INBOX);
    expect(s2.crashes[0]!.delivery!.status).toBe('delivered');
    expect(s2.crashes[1]!.delivery!.checkedAt).toBe(T + 2000);
    expect(deliveryOf({ crashId: 'x', status: 'will-not-be-sent' }, 5, INBOX)).toEqual({
      status: 'not-seen',
      checkedAt: 5,
      inboxUrl: INBOX,
    });
  });

  it('words the delivery for the panel and the popup', () => {
    const clock = (at: number) => `t${at - T}`;
    expect(
      crashDeliveryText(
        {
          ...crash(T),
          delivery: {
            status: 'delivered',
            checkedAt: T,
            inboxUrl: INBOX,
            receivedAt: T + 120,
            endpointPath: '/reports/default',
          },
        },
        clock,
      ),
    ).toEqual({ status: 'delivered', text: 'delivered (received t120 at /reports/default)' });
    expect(
      crashDeliveryText({ ...crash(T), delivery: { status: 'not-seen', checkedAt: T, inboxUrl: INBOX } }, clock),
    ).toEqual({ status: 'not-seen', text: 'not seen yet' });
    expect(crashDeliveryText(crash(T), clock)).toEqual({ status: 'unchecked', text: 'not seen yet' });
    expect(crashDeliveryText(crash(T, PAGE, noRoute), clock)).toEqual({
      status: 'will-not-be-sent',
      text: `will not be sent: ${noRoute.reason}`,
    });
  });

  it('finds the report of a crash after pushState by the URL at the crash, and an old record by its load URL', () => {
    const pushed = `${PAGE}?step=2`;
    const now: CrashEntry = { ...exact(T), url: pushed, loadUrl: PAGE };
    const uploads = parse([upload(T + 80, [{ type: 'crash', url: pushed, age: 5 }])]);
    expect(matchInbox(uploads, [now], []).crashes[0]!.status).toBe('delivered');
    // A record from before the URL was followed holds the load URL only: a report from the pushed URL is not its.
    expect(matchInbox(uploads, [crash(T)], []).crashes[0]!.status).toBe('not-seen');
    // The URL the extension keeps is scrubbed like breadcrumbs: a delivered URL with a secret still matches.
    const secret = parse([upload(T + 80, [{ type: 'crash', url: `${PAGE}?token=abc123`, age: 5 }])]);
    expect(matchInbox(secret, [{ ...exact(T), url: `${PAGE}?token=[redacted]` }], []).crashes[0]!.status).toBe(
      'delivered',
    );
  });

  it('compares the delivered report with the prediction field by field, and marks every difference', () => {
    const c = exact(T);
    const same: DeliveredReport = {
      age: 12,
      type: 'crash',
      url: PAGE,
      user_agent: 'UA/1',
      body: {
        crash_report_api: { cart: '3 items', route: '/checkout' },
        is_top_level: true,
        visibility_state: 'visible',
      },
    };
    const rows = compareCrashReport(c, same);
    expect(rows.map((r) => [r.path, r.status])).toEqual([
      ['age', 'unpredictable'],
      ['type', 'same'],
      ['url', 'same'],
      ['user_agent', 'same'],
      ['body.crash_report_api.cart', 'same'],
      ['body.crash_report_api.route', 'same'],
      ['body.is_top_level', 'same'],
      ['body.visibility_state', 'same'],
    ]);
    expect(comparisonMatches(rows)).toBe(true);

    const other: DeliveredReport = {
      ...same,
      body: {
        crash_report_api: { route: '/cart', extra: 'x' },
        is_top_level: true,
        visibility_state: 'hidden',
        reason: 'oom',
      },
    };
    const diff = compareCrashReport(c, other);
    const by = Object.fromEntries(diff.map((r) => [r.path, r]));
    expect(by['body.crash_report_api.cart']).toMatchObject({ status: 'missing', predicted: '"3 items"' });
    expect(by['body.crash_report_api.route']).toMatchObject({
      status: 'differs',
      predicted: '"/checkout"',
      delivered: '"/cart"',
    });
    expect(by['body.crash_report_api.extra']).toMatchObject({ status: 'unexpected', delivered: '"x"' });
    expect(by['body.visibility_state']!.status).toBe('differs');
    expect(by['body.reason']).toMatchObject({ status: 'unexpected', delivered: '"oom"' });
    expect(comparisonMatches(diff)).toBe(false);
  });

  it('compares a hang: the not-opted-in string exactly, a real call stack by presence', () => {
    const hang = (stack: string): CrashEntry => {
      const c = exact(T);
      return {
        ...c,
        reason: 'unresponsive',
        predicted: {
          ...c.predicted,
          body: { ...(c.predicted.body as object), reason: 'unresponsive', stack } as never,
        },
      };
    };
    const delivered = (stack: string): DeliveredReport => ({
      age: 0,
      type: 'crash',
      url: PAGE,
      user_agent: 'UA/1',
      body: {
        crash_report_api: { cart: '3 items', route: '/checkout' },
        is_top_level: true,
        visibility_state: 'visible',
        reason: 'unresponsive',
        stack,
      },
    });
    expect(comparisonMatches(compareCrashReport(hang(NOT_OPTED_IN), delivered(NOT_OPTED_IN)))).toBe(true);
    expect(comparisonMatches(compareCrashReport(hang(NOT_OPTED_IN), delivered('Error\n    at spin (a.js:1:1)')))).toBe(
      false,
    );
    const opted = compareCrashReport(
      hang('(the JS call stack at the hang)'),
      delivered('Error\n    at spin (a.js:1:1)'),
    );
    expect(opted.find((r) => r.path === 'body.stack')!.status).toBe('unpredictable');
    expect(comparisonMatches(opted)).toBe(true);
  });

  it('compares a value kept scrubbed with the delivered one scrubbed alike, and reads records of the old shape', () => {
    const c: CrashEntry = {
      ...exact(T),
      predicted: {
        ...exact(T).predicted,
        body: { crash_report_api: { user: '[email]' }, is_top_level: true, visibility_state: 'visible' },
      },
      context: {
        requested: 100,
        status: 'initialized',
        used: 30,
        omitted: 0,
        entries: [{ key: 'user', value: '[email]', bytes: 26, exact: false }],
      },
    };
    const d: DeliveredReport = {
      age: 1,
      type: 'crash',
      url: PAGE,
      user_agent: 'UA/1',
      body: { crash_report_api: { user: 'ann@example.com' }, is_top_level: true, visibility_state: 'visible' },
    };
    const row = compareCrashReport(c, d).find((r) => r.path === 'body.crash_report_api.user')!;
    expect(row.status).toBe('same');
    expect(row.note).toContain('scrubbed');
    // The old body had type and url inside and no crash_report_api: what it did not model is not compared.
    const old = compareCrashReport(crash(T), d);
    expect(old.find((r) => r.path === 'body.crash_report_api')!.status).toBe('not-compared');
    expect(old.find((r) => r.path === 'url')!.status).toBe('same');
    expect(comparisonMatches(old)).toBe(true);
  });
});

/** A crash recorded with the exact prediction (context `route`, `cart`). */
function exact(at: number): CrashEntry {
  return {
    id: `crash@${at}`,
    at,
    url: PAGE,
    detectedBy: 'port-disconnect',
    breadcrumbs: [],
    callStacks: false,
    predicted: {
      body: {
        crash_report_api: { cart: '3 items', route: '/checkout' },
        is_top_level: true,
        visibility_state: 'visible',
      },
      report: { age: 0, type: 'crash', url: PAGE, user_agent: 'UA/1' },
      route: deliverRoute,
    },
  };
}
