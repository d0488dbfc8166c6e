// Fixed oracle cases: the seven differences issue 16 reported, and the hosts whose include_subdomains rule comes
// from the Public Suffix List (IP addresses, localhost, private-registry and ICANN suffixes).

import type { CaseResponse, HostKind, OracleCase } from './cases';

const group = (name: string, endpoints: string, extra = '') =>
  `{"group":"${name}","max_age":100${extra},"endpoints":[${endpoints}]}`;
const rt = (host: HostKind, value: string): CaseResponse => ({ host, headers: [{ name: 'Report-To', value }] });

/** Issue 16's seven known disagreements, plus their neighbours on the passing side. */
export const KNOWN_CASES: readonly OracleCase[] = [
  {
    id: 'k1-empty-clears',
    kind: 'report-to',
    group: 'g',
    note: 'an empty Report-To on a later response clears the groups',
    responses: [rt('case', group('g', '{"url":"$R/a"}')), rt('case', '')],
  },
  {
    id: 'k1-space-clears',
    kind: 'report-to',
    group: 'g',
    note: 'a whitespace-only Report-To on a later response clears the groups',
    responses: [rt('case', group('g', '{"url":"$R/a"}')), rt('case', '   ')],
  },
  {
    id: 'k1-invalid-keeps',
    kind: 'report-to',
    group: 'g',
    note: 'invalid JSON on a later response leaves the groups alone',
    responses: [rt('case', group('g', '{"url":"$R/a"}')), rt('case', '{')],
  },
  {
    id: 'k1-missing-keeps',
    kind: 'report-to',
    group: 'g',
    note: 'no Report-To on a later response leaves the groups alone',
    responses: [rt('case', group('g', '{"url":"$R/a"}')), { host: 'case', headers: [] }],
  },
  {
    id: 'k2-duplicate-url-last',
    kind: 'report-to',
    group: 'g',
    note: 'the same URL twice in a group: the last copy counts',
    responses: [
      rt('case', group('g', '{"url":"$R/a","priority":1},{"url":"$R/b","priority":2},{"url":"$R/a","priority":3}')),
    ],
  },
  {
    id: 'k2-duplicate-url-merged',
    kind: 'report-to',
    group: 'g',
    note: 'the same URL in two merged groups: the last copy counts',
    responses: [
      rt(
        'case',
        `${group('g', '{"url":"$R/a","priority":1},{"url":"$R/b","priority":2}')},${group('g', '{"url":"$R/a","priority":3}')}`,
      ),
    ],
  },
  {
    id: 'k3-depth-5-rejected',
    kind: 'report-to',
    group: 'g',
    note: 'five nested containers counting the wrapping [ ]',
    responses: [rt('case', group('g', '{"url":"$R/a","x":[1]}'))],
  },
  {
    id: 'k3-depth-4-accepted',
    kind: 'report-to',
    group: 'g',
    note: 'four nested containers counting the wrapping [ ]',
    responses: [rt('case', group('g', '{"url":"$R/a","x":1}'))],
  },
  {
    id: 'k4-1e309-member',
    kind: 'report-to',
    group: 'g',
    note: '1e309 in an unknown member rejects the whole header',
    responses: [rt('case', `${group('g', '{"url":"$R/a"}')},${group('h', '{"url":"$R/b","x":1e309}')}`)],
  },
  {
    id: 'k4-minus-1e400-priority',
    kind: 'report-to',
    group: 'g',
    note: '-1e400 as a priority rejects the whole header',
    responses: [rt('case', group('g', '{"url":"$R/a","priority":-1e400},{"url":"$R/b","priority":2}'))],
  },
  {
    id: 'k5-priority-minus-0',
    kind: 'report-to',
    group: 'g',
    note: 'priority -0 drops the endpoint',
    responses: [rt('case', group('g', '{"url":"$R/a","priority":-0},{"url":"$R/b","priority":2}'))],
  },
  {
    id: 'k5-weight-minus-0',
    kind: 'report-to',
    group: 'g',
    note: 'weight -0 drops the endpoint',
    responses: [rt('case', group('g', '{"url":"$R/a","weight":-0,"priority":1},{"url":"$R/b","priority":2}'))],
  },
  {
    id: 'k6-lone-surrogate',
    kind: 'report-to',
    group: 'g',
    note: 'a lone surrogate escape rejects the whole header',
    responses: [rt('case', group('g', '{"url":"$R/a"}', ',"note":"\\ud800"'))],
  },
  {
    id: 'k6-surrogate-pair',
    kind: 'report-to',
    group: 'g',
    note: 'a surrogate pair is fine',
    responses: [rt('case', group('g', '{"url":"$R/a"}', ',"note":"\\ud83d\\ude00"'))],
  },
  {
    id: 'k7-pipe-report-to',
    kind: 'report-to',
    group: 'g',
    note: '| and ^ in an endpoint path are percent-encoded',
    responses: [rt('case', group('g', '{"url":"$R/a|b^c","priority":1},{"url":"$R/z","priority":2}'))],
  },
  {
    id: 'k7-pipe-reporting-endpoints',
    kind: 'reporting-endpoints',
    note: '| and ^ in an endpoint path are percent-encoded',
    responses: [
      { host: 'case', headers: [{ name: 'Reporting-Endpoints', value: 'a="$R/a|b", b="https://$HOST$R/c^d"' }] },
    ],
  },
  {
    id: 'k8-fragment-reporting-endpoints',
    kind: 'reporting-endpoints',
    note: 'a fragment in an endpoint URL is kept as registered',
    responses: [
      { host: 'case', headers: [{ name: 'Reporting-Endpoints', value: 'a="$R/a#frag", b="https://[::1]:$PORT$R/b"' }] },
    ],
  },
];

/** include_subdomains on hosts without a registrable domain, and on hosts with one. */
export const HOST_CASES: readonly OracleCase[] = [
  {
    id: 'h-ip-subdomains',
    kind: 'report-to',
    group: 'g',
    note: 'include_subdomains on an IP address host',
    responses: [rt('ip', group('g', '{"url":"$R/a"}', ',"include_subdomains":true'))],
  },
  {
    id: 'h-ip-plain',
    kind: 'report-to',
    group: 'g',
    note: 'a group on an IP address host',
    responses: [rt('ip', group('g', '{"url":"$R/a"}'))],
  },
  {
    id: 'h-localhost-subdomains',
    kind: 'report-to',
    group: 'g',
    note: 'include_subdomains on localhost',
    responses: [rt('localhost', group('g', '{"url":"$R/a"}', ',"include_subdomains":true'))],
  },
  {
    id: 'h-localhost-plain',
    kind: 'report-to',
    group: 'g',
    note: 'a group on localhost',
    responses: [rt('localhost', group('g', '{"url":"$R/a"}'))],
  },
  {
    id: 'h-localhost-re',
    kind: 'reporting-endpoints',
    note: 'Reporting-Endpoints on https://localhost',
    responses: [{ host: 'localhost', headers: [{ name: 'Reporting-Endpoints', value: 'a="$R/a"' }] }],
  },
  {
    id: 'h-sub-of-case',
    kind: 'report-to',
    group: 'g',
    note: 'include_subdomains from cN.localhost serves s.cN.localhost',
    responses: [rt('case', group('g', '{"url":"$R/a"}', ',"include_subdomains":true')), { host: 'sub', headers: [] }],
  },
  {
    id: 'h-sub-of-case-off',
    kind: 'report-to',
    group: 'g',
    note: 'without include_subdomains s.cN.localhost is not served',
    responses: [rt('case', group('g', '{"url":"$R/a"}')), { host: 'sub', headers: [] }],
  },
];

/** Names under Public Suffix List entries: the bare suffix has no registrable domain, a name under it does. */
export const PSL_SUFFIXES = [
  'github.io',
  'blogspot.com',
  'netlify.app',
  'glitch.me',
  'co.uk',
  'city.kawasaki.jp',
  'b.kawasaki.jp',
] as const;

export const PSL_CASES: readonly OracleCase[] = PSL_SUFFIXES.flatMap((suffix, i): OracleCase[] => {
  const bare = { psl: suffix };
  const site = { psl: `p${i}.${suffix}` };
  const sub = { psl: `s.p${i}.${suffix}` };
  return [
    {
      id: `psl${i}-bare`,
      kind: 'report-to',
      group: 'g',
      note: `include_subdomains on ${suffix} itself`,
      responses: [rt(bare, group('g', '{"url":"$R/a"}', ',"include_subdomains":true'))],
    },
    {
      id: `psl${i}-site`,
      kind: 'report-to',
      group: 'g',
      note: `include_subdomains from p${i}.${suffix} serves its subdomain`,
      responses: [
        rt(site, group('g', '{"url":"$ORIGIN$R/a"}', ',"include_subdomains":true')),
        { host: sub, headers: [] },
      ],
    },
  ];
});

/** Every host name PSL_CASES serves from (certificate SAN and --host-rules). */
export const PSL_HOSTS: readonly string[] = PSL_CASES.flatMap((c) =>
  c.responses.map((r) => (typeof r.host === 'object' ? r.host.psl : '')),
).filter(Boolean);
