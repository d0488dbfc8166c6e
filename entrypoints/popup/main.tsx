/** Side effects of the popup: which tab (`?tabId=N`, else the active tab), theme, transport, render. */
import browser from 'webextension-polyfill';
import { render } from 'preact';
import { createRuntimeTransport } from '@/utils/messaging/runtime-transport';
import type { RuntimeLike } from '@/utils/messaging/runtime-transport';
import { App } from './App';
import './style.css';

const params = new URLSearchParams(location.search);
const forced = params.get('theme');
if (forced === 'dark' || forced === 'light') document.documentElement.dataset.theme = forced;

async function resolveTabId(): Promise<number | null> {
  const raw = params.get('tabId');
  if (raw !== null && /^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  try {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.id ?? null;
  } catch {
    return null;
  }
}

const transport = createRuntimeTransport(browser.runtime as unknown as RuntimeLike);
void resolveTabId().then((tabId) =>
  render(<App transport={transport} tabId={tabId} />, document.getElementById('app')!),
);
