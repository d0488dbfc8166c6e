// The DevTools page creates the panel and hands DevTools' search (Ctrl+F) to it; everything else lives in the panel page.
import browser from 'webextension-polyfill';
import { applySearch } from './search';

void browser.devtools.panels
  .create(
    'Report Inspector',
    '',
    // The tab in the URL lets the background serve the panel with its first look in it (popup-prerender.ts).
    `devtools-panel.html?tabId=${browser.devtools.inspectedWindow.tabId}`,
  )
  .then((panel) => {
    // The panel's window, given each time the panel is shown (same origin: its document can be reached directly).
    let panelWindow: Window | null = null;
    panel.onShown.addListener((win: Window) => {
      panelWindow = win;
    });
    // onSearch is Chromium's (ExtensionPanel.onSearch); the polyfill's types do not list it.
    const searchable = panel as unknown as {
      onSearch?: { addListener(cb: (action: string, query?: string) => void): void };
    };
    searchable.onSearch?.addListener((action, query) => {
      try {
        if (panelWindow && !panelWindow.closed) applySearch(panelWindow.document, action, query);
      } catch {
        // The panel page was reloaded or closed between two searches: the next onShown gives the new window.
        panelWindow = null;
      }
    });
  });
