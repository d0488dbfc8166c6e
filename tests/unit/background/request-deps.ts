// What every request test hands the background's handlers: the stores, a view builder on the test's clock, the
// extension's identity, and a page at `getTabUrl`. Tests add the optional parts (deep capture, fetch) they need.
import type { RequestDeps } from '@/entrypoints/background/requests';
import type { Stores } from '@/entrypoints/background/tab-and-origin-stores';
import { TabViews } from '@/entrypoints/background/tab-views';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';

/** The extension id the request tests send as, and the origin of its pages. */
export const TEST_EXTENSION_ID = 'abc';
export const TEST_EXTENSION_ORIGIN = `chrome-extension://${TEST_EXTENSION_ID}/`;

/** Request dependencies on `now`, with every tab showing `tabUrl` and the default settings. */
export function requestDeps(stores: Stores, now: () => number, tabUrl: string): RequestDeps {
  return {
    stores,
    views: new TabViews(stores, now),
    tabChanged: () => {},
    extensionId: TEST_EXTENSION_ID,
    extensionOrigin: TEST_EXTENSION_ORIGIN,
    now,
    getTabUrl: async () => tabUrl,
    settings: async () => DEFAULT_SETTINGS,
  };
}
