import { describe, expect, it } from 'vitest';
import { buildDocumentRecord, placeDocument, restoreDocument } from '@/utils/tab/documents';
import { emptyTabState, type TabState } from '@/utils/tab/types';

const NOW = Date.UTC(2026, 11, 3, 12);
const doc = (url: string, at: number, frameId = 0) =>
  buildDocumentRecord({
    frameId,
    parentFrameId: frameId === 0 ? -1 : 0,
    url,
    type: frameId === 0 ? 'main_frame' : 'sub_frame',
    statusCode: 200,
    headers: [],
    now: at,
  });

function tab(...urls: string[]): TabState {
  let s = emptyTabState(1, NOW);
  urls.forEach((u, i) => (s = placeDocument(s, doc(u, NOW + i), NOW + i)));
  return s;
}

describe('restoreDocument (a page back from the back/forward cache)', () => {
  it('makes the newest previous document with the URL current again, and the current one previous', () => {
    const s = placeDocument(tab('https://a.test/', 'https://b.test/'), doc('https://b.test/frame', NOW + 5, 3), NOW);
    const r = restoreDocument(s, 'https://a.test/', NOW + 10);
    expect(r.documents['0']?.url).toBe('https://a.test/');
    expect(Object.keys(r.documents)).toEqual(['0']);
    expect(r.history.map((d) => d.url)).toEqual(['https://b.test/']);
    expect(r.updatedAt).toBe(NOW + 10);
  });

  it('takes the newest of several previous documents with the URL', () => {
    const s = tab('https://a.test/', 'https://c.test/', 'https://a.test/', 'https://b.test/');
    const r = restoreDocument(s, 'https://a.test/', NOW);
    expect(r.documents['0']?.receivedAt).toBe(NOW + 2);
    expect(r.history.map((d) => d.url)).toEqual(['https://b.test/', 'https://c.test/', 'https://a.test/']);
  });

  it('leaves the state alone when the current document has the URL or none has it', () => {
    const s = tab('https://a.test/', 'https://b.test/');
    expect(restoreDocument(s, 'https://b.test/', NOW)).toBe(s);
    expect(restoreDocument(s, 'https://z.test/', NOW)).toBe(s);
    const empty = emptyTabState(1, NOW);
    expect(restoreDocument(empty, 'https://a.test/', NOW)).toBe(empty);
  });
});
