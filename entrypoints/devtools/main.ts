// The DevTools page only creates the panel; everything else lives in the panel page.
import browser from 'webextension-polyfill';

void browser.devtools.panels.create('Report Inspector', '', 'devtools-panel.html');
