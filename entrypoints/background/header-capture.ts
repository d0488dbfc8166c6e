/**
 * Header capture: `webRequest.onHeadersReceived` for every response. `Report-To` from any response updates its
 * origin's group cache; a document (`main_frame`, `sub_frame`) becomes the current document of its frame with
 * its `Reporting-Endpoints` and referencing headers.
 */
import type { TabState } from '@/utils/tab/types';
import { emptyTabState } from '@/utils/tab/types';
import { applyReportTo } from '@/utils/tab/origin-cache';
import { originOfUrl } from '@/utils/display/format';
import type { CapturedHeader } from '@/utils/headers/types';
import { buildDocumentRecord, parseReportToCached, pickReportingHeaders, placeDocument } from '@/utils/tab/documents';
import type { Stores } from './tab-and-origin-stores';
import { ORIGIN_CACHE_KEY, tabKey } from './tab-and-origin-stores';

/** The part of `webRequest.onHeadersReceived` details the handler reads. */
export interface HeadersReceivedDetails {
  tabId: number;
  frameId: number;
  parentFrameId: number;
  url: string;
  type: string;
  statusCode: number;
  responseHeaders?: { name: string; value?: string }[];
  timeStamp?: number;
}

export interface CaptureContext {
  stores: Stores;
  now(): number;
  /** A tab's state changed. */
  tabChanged(tabId: number): void;
  /** An origin's Report-To configuration changed. */
  originChanged(origin: string): void;
}

/**
 * Handles one response. Returns null at once for a response that matters to nobody (no reporting header and not
 * a document), else a promise that settles when the state is updated.
 */
export function handleHeadersReceived(details: HeadersReceivedDetails, ctx: CaptureContext): Promise<void> | null {
  const isDocument = details.type === 'main_frame' || details.type === 'sub_frame';
  const headers = pickReportingHeaders(details.responseHeaders);
  if (headers.length === 0 && !isDocument) return null;
  if (isDocument && details.tabId < 0 && headers.length === 0) return null;
  return processResponse(details, headers, isDocument, ctx, ctx.now());
}

/**
 * Updates the origin cache and the tab's state with one response's reporting headers, as of `now` (when its
 * headers arrived). Every store update is issued before this returns (synchronously), so a caller that settles
 * kept responses (deferred-capture.ts) puts them on the stores' queues ahead of whatever comes next.
 */
export function processResponse(
  details: HeadersReceivedDetails,
  headers: CapturedHeader[],
  isDocument: boolean,
  ctx: CaptureContext,
  now: number,
): Promise<void> {
  const failed = (e: unknown): void => {
    console.warn('Report Inspector: could not process the headers of', details.url, e);
  };
  try {
    return updateStores(details, headers, isDocument, ctx, now).then(() => undefined, failed);
  } catch (e) {
    failed(e);
    return Promise.resolve();
  }
}

function updateStores(
  details: HeadersReceivedDetails,
  headers: CapturedHeader[],
  isDocument: boolean,
  ctx: CaptureContext,
  now: number,
): Promise<unknown> {
  const reportTo = headers.find((h) => h.name === 'report-to');
  const work: Promise<unknown>[] = [];
  const parsed = reportTo ? parseReportToCached(reportTo.value, details.url) : undefined;
  if (reportTo && parsed) {
    const origin = originOfUrl(details.url);
    work.push(
      ctx.stores.origins
        .update(
          ORIGIN_CACHE_KEY,
          () => ({}),
          (cache) => applyReportTo(cache, reportTo.value, details.url, details.type, now, parsed).cache,
        )
        .then(() => {
          if (origin) ctx.originChanged(origin);
        }),
    );
  }
  if (isDocument && details.tabId >= 0) {
    const doc = buildDocumentRecord({
      frameId: details.frameId,
      parentFrameId: details.parentFrameId,
      url: details.url,
      type: details.type as 'main_frame' | 'sub_frame',
      statusCode: details.statusCode,
      headers,
      now,
    });
    const tabId = details.tabId;
    work.push(
      ctx.stores.tabs
        .update(
          tabKey(tabId),
          () => emptyTabState(tabId, now),
          (s: TabState) => placeDocument(s, doc, now),
        )
        // Nothing resends a response's headers, so the change is persisted before anyone hears of it. The store
        // writes an isolated change at once and coalesces bursts (≤ 10 writes/s per tab, see bench/): a flush per
        // document would cost one storage write per response when a page loads many frames or redirects.
        .then(() => ctx.stores.tabs.whenPersisted())
        .then(() => ctx.tabChanged(tabId)),
    );
  }
  return Promise.all(work);
}
