// The tab state the panel bench seeds: 10,000 breadcrumbs and 1,000 reports on one document.
import { doc, makeBreadcrumbs, state } from '../tests/fixtures/views';
import type { LiveReport } from '../utils/page/types';
import type { TabState } from '../utils/tab/types';

export function seededTabState(tabId: number, now: number): TabState {
  const breadcrumbs = makeBreadcrumbs(10_000, now - 1_000, 250);
  const reports: LiveReport[] = [];
  for (let i = 0; i < 1_000; i++) {
    reports.push({
      seq: 20_000 + i,
      frameId: 0,
      type: i % 2 ? 'deprecation' : 'csp-violation',
      url: 'https://shop.example/checkout',
      body:
        i % 2
          ? { id: 'UnloadHandler', message: 'Unload event listeners are deprecated.' }
          : {
              blockedURL: `https://cdn.example/x${i}.js`,
              effectiveDirective: 'script-src-elem',
              disposition: 'enforce',
            },
      observedAt: now - (1_000 - i) * 1_000,
    });
  }
  const top = doc({ url: 'https://shop.example/checkout' });
  return state(tabId, { updatedAt: now, documents: { '0': top }, breadcrumbs, reports, nextSeq: 30_000 });
}
