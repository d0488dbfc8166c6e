import { describe, expect, test } from 'vitest';
import {
  CHECKPOINT_KEY,
  MAX_APP_BODY,
  mayBeCrashSenseBody,
  parseCheckpoint,
  recogniseCrashSenseBody,
} from '@/utils/page/crashsense';
import { checkpoint, crashEvent, crashReport, lifecycleFlush, subset } from '../../fixtures/crashsense';

describe('mayBeCrashSenseBody', () => {
  test('objects and arrays naming fingerprint and category', () => {
    expect(mayBeCrashSenseBody(JSON.stringify(crashReport))).toBe(true);
    expect(mayBeCrashSenseBody(`  \n${JSON.stringify([subset])}`)).toBe(true);
  });
  test('anything else is skipped without parsing', () => {
    expect(mayBeCrashSenseBody('fingerprint=1&category=2')).toBe(false);
    expect(mayBeCrashSenseBody(JSON.stringify({ category: 'x' }))).toBe(false);
    expect(mayBeCrashSenseBody(JSON.stringify(lifecycleFlush))).toBe(false);
    expect(mayBeCrashSenseBody('{"fingerprint":1,"category":2' + ' '.repeat(MAX_APP_BODY))).toBe(false);
  });
});

describe('recogniseCrashSenseBody', () => {
  test('a CrashReport from onCrash', () => {
    const [r, ...rest] = recogniseCrashSenseBody(JSON.parse(JSON.stringify(crashReport)));
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({
      shape: 'CrashReport',
      category: 'runtime_error',
      subcategory: 'type_error',
      severity: 'error',
      confidence: 0.92,
      fingerprint: 'a3f9c2e1b7d4',
    });
    expect(r!.message).toBe("Cannot read properties of undefined (reading 'total') for [email]");
    expect(r!.contributingFactors).toEqual([
      { factor: 'high_memory_utilization', weight: 0.4, evidence: 'Heap at 82.8% and growing' },
      { factor: 'failed_network_request', weight: 0.3, evidence: 'POST /api/orders returned 500 (client [ip])' },
    ]);
    expect(r!.breadcrumbs).toHaveLength(5);
    expect(r!.breadcrumbs[2]).toEqual(crashEvent.breadcrumbs[2]);
  });

  test('a bare CrashEvent', () => {
    expect(recogniseCrashSenseBody(crashEvent)).toEqual([
      expect.objectContaining({ shape: 'CrashEvent', fingerprint: 'a3f9c2e1b7d4' }),
    ]);
  });

  test('the plugin subset, scrubbed', () => {
    expect(recogniseCrashSenseBody(subset)).toEqual([
      {
        shape: 'subset',
        category: 'memory_issue',
        subcategory: 'heap_growth',
        severity: 'critical',
        confidence: null,
        message: 'Heap limit approaching (Bearer [token] in log)',
        fingerprint: '7c1d0e55aa01',
        contributingFactors: [],
        breadcrumbs: [],
      },
    ]);
  });

  test('a batch of mixed shapes, skipping what is not a report', () => {
    const out = recogniseCrashSenseBody([crashReport, subset, lifecycleFlush, 42, null, crashEvent]);
    expect(out.map((r) => r.shape)).toEqual(['CrashReport', 'subset', 'CrashEvent']);
  });

  test('batches are capped', () => {
    expect(recogniseCrashSenseBody(Array.from({ length: 500 }, () => subset))).toHaveLength(50);
  });

  test('not CrashSense', () => {
    for (const body of [
      null,
      'x',
      1,
      {},
      [],
      { category: 'a', fingerprint: 'b' },
      { event: {}, timestamp: 1 },
      lifecycleFlush,
    ]) {
      expect(recogniseCrashSenseBody(body)).toEqual([]);
    }
  });

  test('hostile fields are bounded', () => {
    const [r] = recogniseCrashSenseBody({
      ...subset,
      message: 'x'.repeat(1_000_000),
      category: 'c'.repeat(10_000),
    });
    expect(r!.message.length).toBe(1000);
    expect(r!.category.length).toBe(200);
  });
});

describe('parseCheckpoint', () => {
  test('reads what CrashSense stores, scrubbed', () => {
    expect(CHECKPOINT_KEY).toBe('__crashsense_checkpoint');
    const cp = parseCheckpoint(JSON.stringify(checkpoint))!;
    expect(cp).toMatchObject({
      version: 1,
      sessionId: checkpoint.sessionId,
      appId: 'shop-web',
      url: 'https://shop.example/checkout?step=2&token=[redacted]',
      memoryTrend: 'growing',
      checkpointCount: 12,
    });
    expect(cp.breadcrumbs).toEqual(checkpoint.breadcrumbs);
    expect(cp.preCrashWarnings).toEqual(checkpoint.preCrashWarnings);
    expect(cp.systemState).toEqual(checkpoint.systemState);
    expect(cp.device).toEqual(checkpoint.device);
  });

  test('rejects what is not a checkpoint', () => {
    for (const s of [
      '',
      'null',
      '[]',
      '{',
      '{"version":1}',
      JSON.stringify({ ...checkpoint, sessionId: 3 }),
      JSON.stringify({ ...checkpoint, timestamp: 'x' }),
    ]) {
      expect(parseCheckpoint(s)).toBeNull();
    }
    expect(parseCheckpoint('{"a":"' + 'x'.repeat(300 * 1024) + '"}')).toBeNull();
  });

  test('drops invalid breadcrumbs and warnings, keeps the rest', () => {
    const cp = parseCheckpoint(
      JSON.stringify({
        ...checkpoint,
        breadcrumbs: [
          ...checkpoint.breadcrumbs,
          { type: 'evil', timestamp: 1, message: 'x' },
          { type: 'click', timestamp: 'x', message: 'y' },
        ],
        preCrashWarnings: [{ level: 'doom', reason: 'x', timestamp: 1 }, ...checkpoint.preCrashWarnings],
      }),
    )!;
    expect(cp.breadcrumbs).toHaveLength(5);
    expect(cp.preCrashWarnings).toHaveLength(2);
  });

  test('stays within 64 KB', () => {
    const big = {
      ...checkpoint,
      breadcrumbs: Array.from({ length: 50 }, (_, i) => ({
        type: 'custom',
        timestamp: i,
        message: 'm'.repeat(2000),
        data: { blob: 'd'.repeat(2000) },
      })),
    };
    const cp = parseCheckpoint(JSON.stringify(big))!;
    expect(JSON.stringify(cp).length).toBeLessThanOrEqual(64 * 1024);
    expect(cp.breadcrumbs.length).toBeGreaterThan(0);
  });

  test('prototype keys never reach the result', () => {
    const cp = parseCheckpoint(
      '{"version":1,"timestamp":1,"sessionId":"s","breadcrumbs":[],"__proto__":{"polluted":1},"device":{"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}}}}',
    )!;
    expect(cp.device).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
