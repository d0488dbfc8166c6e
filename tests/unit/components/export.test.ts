import { describe, expect, it } from 'vitest';
import { buildExport, exportFileName, exportJson, parseExport } from '@/utils/tab/export';
import { configuredView, emptyView, NOW } from '../../fixtures/views';

describe('export', () => {
  it('wraps the whole tab view in a versioned document', () => {
    const e = buildExport(configuredView, NOW);
    expect(e.format).toBe('report-inspector-export');
    expect(e.version).toBe(1);
    expect(e.exportedAt).toBe(new Date(NOW).toISOString());
    expect(e.tab).toBe(configuredView);
    const back = parseExport(exportJson(configuredView, NOW));
    expect(back?.tab).toEqual(JSON.parse(JSON.stringify(configuredView)));
  });

  it('names the file after the host and the date', () => {
    expect(exportFileName(configuredView, NOW)).toBe('report-inspector-shop.acme.test-2025-11-21-120304.json');
    expect(exportFileName(emptyView, NOW)).toBe('report-inspector-tab-7-2025-11-21-120304.json');
  });

  it('rejects other JSON', () => {
    expect(parseExport('{"format":"x","version":1,"tab":{}}')).toBeNull();
    expect(parseExport('not json')).toBeNull();
  });
});
