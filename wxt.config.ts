import { defineConfig } from 'wxt';

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'Report Inspector',
    description: "See where your pages' Reporting API, crash and CSP reports go, and why they don't arrive.",
    permissions: ['webRequest', 'storage', 'tabs', 'webNavigation', 'scripting', 'clipboardWrite'],
    optional_permissions: browser === 'firefox' ? [] : ['debugger'],
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    },
  }),
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  }),
});
