import { defineConfig } from 'wxt';

// See https://wxt.dev/api/config.html
/**
 * `DEEP_CAPTURE=1` builds the deep-capture flavour into `.output/<browser>-mv3-deep`: the same extension, with the
 * `debugger` permission declared. Chromium refuses `debugger` as an optional permission (it is one of the few that
 * cannot be optional: it is dropped from optional_permissions and `permissions.request` fails), so the default
 * build lists it as optional only and deep capture needs this flavour.
 */
const deep = process.env.DEEP_CAPTURE === '1';

export default defineConfig({
  outDirTemplate: deep ? '{{browser}}-mv{{manifestVersion}}-deep' : '{{browser}}-mv{{manifestVersion}}',
  modules: ['@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    description: "See where your pages' Reporting API, crash and CSP reports go, and why they don't arrive.",
    name: deep ? 'Report Inspector (deep capture)' : 'Report Inspector',
    // `debugger` serves deep capture only, attached on the user's click; Firefox has no debugger API.
    permissions: [
      'webRequest',
      'storage',
      'tabs',
      'webNavigation',
      'scripting',
      'clipboardWrite',
      ...(deep && browser !== 'firefox' ? ['debugger'] : []),
    ],
    optional_permissions: deep || browser === 'firefox' ? [] : ['debugger'],
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      // DevTools loads devtools.html and the panel in iframes of devtools://devtools: `frame-ancestors 'none'` would
      // turn both into error pages (no panel at all). Only DevTools and the extension itself may frame its pages.
      extension_pages: `script-src 'self'; object-src 'none'; base-uri 'none'${browser === 'firefox' ? '' : "; frame-ancestors 'self' devtools://devtools"}`,
    },
  }),
  hooks: {
    // WXT builds all HTML pages in one Vite build, so the popup shared chunks with the panel (preact, common
    // components): four module files to fetch before its first paint. Built alone it is one script and one stylesheet;
    // the other pages' build is unchanged.
    'entrypoints:grouped': (_wxt, groups) => {
      for (const group of groups) {
        if (!Array.isArray(group)) continue;
        const i = group.findIndex((e) => e.name === 'popup');
        if (i === -1 || group.length === 1) continue;
        groups.push(group.splice(i, 1));
        return;
      }
    },
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  }),
});
