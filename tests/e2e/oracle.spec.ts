// The quick slice of the Chromium oracle (the full run is `npm run oracle`): issue 16's known differences, the
// include_subdomains host rules, a few real-world values and a few generated cases, each served on a fresh HTTPS
// origin and compared with the product's prediction.

import { expect, test } from '@playwright/test';
import { generateCases } from '../oracle/generate';
import { disagreement } from '../oracle/predict';
import { PSL_HOSTS } from '../oracle/known';
import { formatText } from '../oracle/report';
import { runAndConfirm } from '../oracle/run';
import { quickCases } from '../oracle/slices';
import { realWorld, realWorldValues, unsourcedValues } from '../oracle/real-world';

test('Chromium keeps and delivers exactly what the product predicts (quick oracle slice)', async () => {
  test.setTimeout(150_000);
  const cases = quickCases();
  const { summary } = await runAndConfirm(cases, { pslHosts: [...PSL_HOSTS] });
  console.log(formatText(summary, 'quick oracle'));
  expect(summary.skipped.map((s) => `${s.run.resolved.source.id}: ${s.run.observation.skipped}`)).toEqual([]);
  expect(summary.total).toBe(cases.length);
  expect(summary.disagreements.map((d) => `${d.run.resolved.source.id}: ${d.difference}`)).toEqual([]);
});

test('the oracle generator is deterministic from its seed and mutates every part', () => {
  const a = generateCases(99, 2000);
  expect(generateCases(99, 2000)).toEqual(a);
  expect(generateCases(100, 2000)).not.toEqual(a);
  const values = a.flatMap((c) => c.responses.flatMap((r) => r.headers.map((h) => h.value))).join('\n');
  for (const needle of [
    '\\ud800',
    '1e309',
    '-0',
    '1800.0',
    '1e3',
    '\\/',
    '//$HOST',
    'https://$IPHOST',
    'wss://',
    '|',
    '^',
    '$R/a b',
  ]) {
    expect(values, `some generated value contains ${needle}`).toContain(needle);
  }
  expect(
    a.some((c) => c.responses.some((r) => r.headers.length > 1 && r.headers[0]!.name === r.headers[1]!.name)),
    'repeated header lines',
  ).toBe(true);
  expect(
    a.some((c) => c.responses.length > 1),
    'header sequences',
  ).toBe(true);
  expect(a.some((c) => c.kind === 'reporting-endpoints') && a.some((c) => c.kind === 'report-to')).toBe(true);
});

test('the comparison catches a wrong endpoint, a wrong order, a missing and an extra delivery', () => {
  const e = (url: string, priority = 1, weight = 1) => ({ url, priority, weight });
  const said = { deliveries: [e('https://a/1'), e('https://a/2', 2)] };
  expect(disagreement(said, { deliveries: ['https://a/1', 'https://a/2'] })).toBeNull();
  expect(disagreement(said, { deliveries: ['https://a/2', 'https://a/1'] })).toMatch(/ranks it earlier/);
  expect(disagreement(said, { deliveries: ['https://a/1'] })).toMatch(/tried 1 endpoint/);
  expect(disagreement(said, { deliveries: ['https://a/1', 'https://a/3'] })).toMatch(/does not list/);
  expect(disagreement(said, { deliveries: [] })).toMatch(/delivered nothing/);
  expect(disagreement({ deliveries: [] }, { deliveries: ['https://a/1'] })).toMatch(/predicts nothing/);
  expect(
    disagreement(
      { deliveries: [e('https://a/1', 1, 0), e('https://a/2', 1, 5)] },
      { deliveries: ['https://a/1', 'https://a/2'] },
    ),
  ).toMatch(/ranks it earlier/);
  expect(
    disagreement(
      { endpoints: [{ name: 'a', url: 'https://a/|' }] },
      { endpoints: [{ name: 'a', url: 'https://a/%7C' }] },
    ),
  ).toBe('endpoints differ');
  expect(
    disagreement(
      {
        endpoints: [
          { name: 'a', url: 'u' },
          { name: 'b', url: 'v' },
        ],
      },
      {
        endpoints: [
          { name: 'b', url: 'v' },
          { name: 'a', url: 'u' },
        ],
      },
    ),
  ).toBeNull();
});

test('every real-world value names its site and a public URL where the capture was published', () => {
  const values = realWorldValues();
  expect(values.length).toBeGreaterThan(0);
  for (const v of values) {
    expect(v.site.trim(), JSON.stringify(v)).not.toBe('');
    expect(v.value, JSON.stringify(v)).not.toBe('');
    const url = new URL(v.source);
    expect(url.protocol, v.source).toBe('https:');
    expect(url.hostname, v.source).not.toMatch(/localhost|example/);
  }
  // Values without a citable publication are kept apart, each saying where it was seen.
  for (const u of unsourcedValues()) {
    expect(u.site.trim()).not.toBe('');
    expect(u.capture).toMatch(/read_file id \d+/);
  }
});

test('real-world referencing headers become cases with a trigger, or say why they cannot run', () => {
  const { cases, notRun } = realWorld();
  const byType = (t: string) => cases.filter((c) => c.reportType === t);
  expect(byType('network-error').length).toBeGreaterThan(0);
  expect(byType('coep').length).toBeGreaterThan(0);
  expect(byType('permissions-policy-violation').length).toBeGreaterThan(0);
  for (const c of cases.filter((x) => x.reportType)) expect(c.body, c.id).toBeTruthy();
  for (const n of notRun) expect(n.reason, `${n.value.site} ${n.value.header}`).not.toBe('');
  const all = realWorldValues().length + unsourcedValues().length;
  expect(cases.length + notRun.length).toBe(all);
});

test('a sampled NEL failure may go unreported, but a delivery the product does not list still disagrees', () => {
  const e = (url: string) => ({ url, priority: 1, weight: 1 });
  const said = { deliveries: [e('https://a/nel')], sampled: 0.1 };
  expect(disagreement(said, { deliveries: [] })).toBeNull();
  expect(disagreement(said, { deliveries: ['https://a/nel'] })).toBeNull();
  expect(disagreement(said, { deliveries: ['https://b/other'] })).toMatch(/does not list/);
  expect(disagreement({ deliveries: [e('https://a/nel')] }, { deliveries: [] })).toMatch(/delivered nothing/);
});
