/**
 * Side effects of the popup: which tab (`?tabId=N`, else the active tab), theme, transport, render. It uses the
 * promise-returning `chrome.*` of MV3 directly: the polyfill is one more module to fetch and run before the first
 * paint, for two calls that need none of it.
 *
 * The headline waits for one round trip to the background, so the summary is asked for first, before anything
 * renders. When the background already rendered the summary into the page (popup-prerender.ts), the app starts
 * from that one and asks again only to refresh.
 */
import { render } from 'preact';
import { createRuntimeTransport } from '@/utils/messaging/runtime-transport';
import type { RuntimeLike } from '@/utils/messaging/runtime-transport';
import { tabIdParam } from '@/utils/messaging/protocol';
import { readPrerendered } from '@/components/popup/prerender';
import { App } from './App';
import './style.css';

/** The two calls of MV3's `chrome` the popup makes (both return promises in Chromium's MV3). */
declare const chrome: {
  tabs: { query(query: { active: true; currentWindow: true }): Promise<{ id?: number }[]> };
  runtime: RuntimeLike;
};

const params = new URLSearchParams(location.search);
const given = tabIdParam(params.get('tabId'));
const transport = createRuntimeTransport(chrome.runtime);
const root = document.getElementById('app')!;
const initial = given === null ? null : readPrerendered(document, given);
const first = given === null || initial ? undefined : transport.send('getTabSummary', { tabId: given });

const forced = params.get('theme');
if (forced === 'dark' || forced === 'light') document.documentElement.dataset.theme = forced;

async function activeTabId(): Promise<number | null> {
  try {
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    return tab?.id ?? null;
  } catch {
    return null;
  }
}

const show = (tabId: number | null) =>
  render(<App transport={transport} tabId={tabId} first={first} initial={initial ?? undefined} />, root);
if (given !== null) show(given);
else void activeTabId().then(show);
