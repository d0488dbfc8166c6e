import { describe, expect, it } from 'vitest';
import { parseDictionary } from 'structured-headers';
import { migrateToReportingEndpoints, preferredEndpoint } from '@/utils/headers/convert-report-to';
import type { ReportToGroup, RouteReference } from '@/utils/headers/types';

const g = (name: string, endpoints: [string, number?, number?][], includeSubdomains = false): ReportToGroup => ({
  name,
  maxAge: 1800,
  includeSubdomains,
  endpoints: endpoints.map(([url, priority = 1, weight = 1]) => ({ url, priority, weight })),
});

describe('migrateToReportingEndpoints', () => {
  it('serialises a dictionary of name to URL string', () => {
    const m = migrateToReportingEndpoints([g('default', [['https://r.test/a']]), g('csp', [['https://r.test/csp']])]);
    expect(m.header).toBe('default="https://r.test/a", csp="https://r.test/csp"');
    const parsed = parseDictionary(m.header);
    expect(parsed.get('csp')?.[0]).toBe('https://r.test/csp');
    expect(m.notes.some((n) => n.includes('max_age is lost'))).toBe(true);
  });

  it('keeps the lowest priority, then the highest weight, and says failover and weights are lost', () => {
    const group = g('default', [
      ['https://backup.test/r', 2, 10],
      ['https://light.test/r', 1, 1],
      ['https://heavy.test/r', 1, 5],
    ]);
    expect(preferredEndpoint(group.endpoints)?.url).toBe('https://heavy.test/r');
    const m = migrateToReportingEndpoints([group]);
    expect(m.header).toBe('default="https://heavy.test/r"');
    const note = m.notes.find((n) => n.includes('3 endpoints'));
    expect(note).toContain('failover');
    expect(note).toContain('weighted load balancing');
    expect(note).toContain('https://backup.test/r');
  });

  it('says only failover is lost when every endpoint has its own priority', () => {
    const m = migrateToReportingEndpoints([
      g('default', [
        ['https://a.test/r', 1],
        ['https://b.test/r', 2],
      ]),
    ]);
    const note = m.notes.find((n) => n.includes('2 endpoints'))!;
    expect(note).toContain('failover');
    expect(note).not.toContain('weighted');
  });

  it('lower-cases names that are not structured-field keys and names the headers to update', () => {
    const refs: RouteReference[] = [
      {
        reportType: 'csp-violation',
        endpointName: 'CSP Group',
        header: 'content-security-policy',
        detail: '',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
    ];
    const m = migrateToReportingEndpoints(
      [g('CSP Group', [['https://r.test/csp']]), g('1st', [['https://r.test/1']])],
      refs,
    );
    expect(m.entries.map((e) => e.name)).toEqual(['csp-group', 'g-1st']);
    expect(m.notes.join('\n')).toContain('content-security-policy');
    expect(() => parseDictionary(m.header)).not.toThrow();
  });

  it('de-duplicates names that collide after renaming', () => {
    const m = migrateToReportingEndpoints([g('a', [['https://r.test/1']]), g('A', [['https://r.test/2']])]);
    expect(m.entries.map((e) => e.name)).toEqual(['a', 'a-2']);
  });

  it('notes include_subdomains and NEL, which needs Report-To', () => {
    const refs: RouteReference[] = [
      {
        reportType: 'network-error',
        endpointName: 'nel',
        header: 'nel',
        detail: '',
        reportOnly: false,
        namespace: 'groups-only',
      },
    ];
    const m = migrateToReportingEndpoints([g('nel', [['https://r.test/nel']], true)], refs);
    expect(m.notes.some((n) => n.includes('include_subdomains is lost'))).toBe(true);
    expect(m.notes.some((n) => n.includes('NEL'))).toBe(true);
  });

  it('escapes quotes and percent-encodes URLs so the value stays a valid sf-string', () => {
    const m = migrateToReportingEndpoints([g('default', [['https://r.test/a"b é']])]);
    expect(m.header).toBe('default="https://r.test/a%22b%20%C3%A9"');
  });

  it('returns an empty header for no groups', () => {
    expect(migrateToReportingEndpoints([]).header).toBe('');
  });
});
