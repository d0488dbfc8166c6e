/**
 * Side effects of the popup: which tab (`?tabId=N`, else the active tab), theme, transport, render. It uses the
 * promise-returning `chrome.*` of MV3 directly: the polyfill is one more module to fetch and run before the first
 * paint, for two calls that need none of it.
 */
import { render } from 'preact';
import { createRuntimeTransport } from '@/utils/messaging/runtime-transport';
import type { RuntimeLike } from '@/utils/messaging/runtime-transport';
import { App } from './App';
import './style.css';

/** The two calls of MV3's `chrome` the popup makes (both return promises in Chromium's MV3). */
declare const chrome: {
  tabs: { query(query: { active: true; currentWindow: true }): Promise<{ id?: number }[]> };
  runtime: RuntimeLike;
};

const params = new URLSearchParams(location.search);
const forced = params.get('theme');
if (forced === 'dark' || forced === 'light') document.documentElement.dataset.theme = forced;

async function resolveTabId(): Promise<number | null> {
  const raw = params.get('tabId');
  if (raw !== null && /^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  try {
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    return tab?.id ?? null;
  } catch {
    return null;
  }
}

const transport = createRuntimeTransport(chrome.runtime);
void resolveTabId().then((tabId) =>
  render(<App transport={transport} tabId={tabId} />, document.getElementById('app')!),
);
