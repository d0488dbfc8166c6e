import { describe, expect, it } from 'vitest';
import {
  capText,
  capWithNote,
  fileStamp,
  formatAgo,
  formatClock,
  formatClockMs,
  formatDuration,
  formatExpiry,
  formatJson,
  formatOffset,
  formatRelative,
  hostOf,
  isBrowserPage,
  originOfUrl,
  plural,
  safeHttpsUrl,
} from '@/utils/display/format';

const at = (h: number, m: number, s: number, ms = 0) => new Date(2025, 10, 21, h, m, s, ms).getTime();

describe('format', () => {
  it('formats durations with their two largest units', () => {
    expect(formatDuration(29 * 60_000 + 12_000)).toBe('29 min 12 s');
    expect(formatDuration(30 * 60_000)).toBe('30 min');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000 + 7000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe('3 d 4 h');
  });

  it('counts down to expiry and says when it expired', () => {
    const now = at(12, 0, 0);
    expect(formatExpiry(now + 29 * 60_000 + 12_000, now)).toBe('expires in 29 min 12 s');
    expect(formatExpiry(now + 300, now)).toBe('expires in less than 1 s');
    expect(formatExpiry(now - 3 * 60_000 - 20_000, now)).toBe('expired 3 min ago');
    expect(formatExpiry(now, now)).toBe('expired 0 s ago');
  });

  it('formats relative and clock times', () => {
    const crash = at(12, 3, 4);
    expect(formatRelative(crash - 2345, crash, 'crash')).toBe('2.3 s before crash');
    expect(formatRelative(crash + 400, crash, 'crash')).toBe('400 ms after crash');
    expect(formatRelative(crash - 10, crash, 'crash')).toBe('at crash');
    expect(formatRelative(crash - 125_000, crash, 'crash')).toBe('2 min 5 s before crash');
    expect(formatOffset(crash + 12_345, crash)).toBe('+12.345 s');
    expect(formatOffset(crash + 184_000, crash)).toBe('+3 min 4 s');
    expect(formatClock(crash)).toBe('12:03:04');
    expect(formatClockMs(at(9, 5, 7, 42))).toBe('09:05:07.042');
    expect(formatAgo(crash - 3 * 60_000, crash)).toBe('3 min ago');
    expect(formatAgo(crash, crash)).toBe('just now');
    expect(fileStamp(crash)).toBe('2025-11-21-120304');
  });

  it('caps long strings and says how much was left out', () => {
    const s = 'x'.repeat(2500);
    expect(capText(s)).toEqual({ text: 'x'.repeat(2000), omitted: 500 });
    expect(capWithNote(s)).toBe(`${'x'.repeat(2000)}… (500 more characters)`);
    expect(capWithNote('short')).toBe('short');
  });

  it('links only https URLs', () => {
    expect(safeHttpsUrl('https://a.test/x')).toBe('https://a.test/x');
    expect(safeHttpsUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpsUrl('http://a.test/')).toBeNull();
    expect(safeHttpsUrl('data:text/html,<b>')).toBeNull();
    expect(safeHttpsUrl('not a url')).toBeNull();
  });

  it('recognises browser pages and pluralises', () => {
    expect(isBrowserPage('chrome://settings/')).toBe(true);
    expect(isBrowserPage('about:blank')).toBe(true);
    expect(isBrowserPage('chrome-extension://abc/popup.html')).toBe(true);
    expect(isBrowserPage('https://a.test/')).toBe(false);
    expect(plural(1, 'endpoint')).toBe('1 endpoint');
    expect(plural(1200, 'entry', 'entries')).toBe('1,200 entries');
  });

  it('formats JSON safely (cycles, BigInt) and caps it', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatJson(cyclic)).toMatch(/^\(cannot show:/);
    expect(formatJson({ n: 1n })).toContain('"1n"');
    expect(formatJson({ a: 'x'.repeat(50) }, 20)).toMatch(/more characters\)$/);
  });
});

describe('origins and hosts of URLs (remembered)', () => {
  it('answer the same from memory as on first parse, past the memo size and for long URLs', () => {
    const urls = Array.from({ length: 600 }, (_, i) => `https://h${i % 300}.example:8443/p?i=${i}`);
    for (let pass = 0; pass < 2; pass++)
      for (const [i, u] of urls.entries()) {
        expect(originOfUrl(u)).toBe(`https://h${i % 300}.example:8443`);
        expect(hostOf(u)).toBe(`h${i % 300}.example`);
      }
    const long = `https://long.example/${'a'.repeat(5000)}`;
    expect([originOfUrl(long), originOfUrl(long), hostOf(long)]).toEqual([
      'https://long.example',
      'https://long.example',
      'long.example',
    ]);
    for (let i = 0; i < 2; i++) {
      expect(originOfUrl('not a url')).toBeNull();
      expect(originOfUrl('data:text/plain,x')).toBeNull();
      expect(hostOf('about:blank')).toBeNull();
    }
  });
});
