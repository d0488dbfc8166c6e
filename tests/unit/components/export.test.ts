import { describe, expect, it } from 'vitest';
import { buildReport, exportFileName, exportJson, parseReport } from '@/utils/tab/export';
import { summarizeTab } from '@/utils/tab/summary';
import { analyseView } from '@/utils/tab/derive-analyses';
import { configuredView, emptyView, NOW } from '../../fixtures/views';

describe('bug-report export', () => {
  it('is a versioned document with ISO times, the one summary, routes, verdicts, diagnostics, breadcrumbs and crashes', () => {
    const r = buildReport(configuredView, 'https://shop.acme.test/checkout?token=tok_live_8f2a', NOW);
    expect(r).toMatchObject({
      format: 'report-inspector-bug-report',
      version: 1,
      exportedAt: new Date(NOW).toISOString(),
    });
    expect(r.page.url).toBe('https://shop.acme.test/checkout?token=[redacted]');
    const s = summarizeTab(configuredView, 'https://shop.acme.test/checkout', NOW, analyseView(configuredView, NOW));
    expect(r.summary.headline).toBe(s.headline);
    expect(r.summary.destinations).toBe(s.destinations);
    expect(r.summary.routes).toBe(r.documents[0]!.routes.length);
    const top = r.documents[0]!;
    expect(top.frame).toBe('top');
    expect(top.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(
      top.routes.every(
        (x) => x.verdict === 'delivers' || (x.verdict === 'goes nowhere' && typeof x.reason === 'string'),
      ),
    ).toBe(true);
    expect(top.fates.reportingEndpoints.state).toBeTypeOf('string');
    expect(top.diagnostics.length).toBeGreaterThan(0);
    expect(r.crashes[0]!.at).toBe(new Date(configuredView.state.crashes[0]!.at).toISOString());
    expect(r.breadcrumbs.length).toBe(configuredView.state.breadcrumbs.length);
    // No internal bookkeeping unless asked for.
    const text = exportJson(configuredView, '', NOW);
    expect(text).not.toContain('nextSeq');
    expect(text).not.toContain('"batches"');
    expect(buildReport(configuredView, '', NOW, { raw: true }).raw).toBe(configuredView);
    const back = parseReport(text);
    expect(back?.summary.headline).toBe(s.headline);
  });

  it('names the file after the host and the date', () => {
    expect(exportFileName(configuredView, NOW)).toBe('report-inspector-shop.acme.test-2025-11-21-120304.json');
    expect(exportFileName(emptyView, NOW)).toBe('report-inspector-tab-7-2025-11-21-120304.json');
  });

  it('rejects other JSON', () => {
    expect(parseReport('{"format":"x","version":1,"summary":{},"documents":[]}')).toBeNull();
    expect(parseReport('not json')).toBeNull();
  });
});
