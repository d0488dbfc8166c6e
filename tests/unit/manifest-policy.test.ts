// Permissions and policy of the BUILT extension (`$EXTENSION_DIR` or `.output/chrome-mv3`; skipped when it is not
// built): the manifest asks for the minimum, every permission it asks for is explained in the README's permissions
// table, `debugger` is optional only, the extension pages' CSP is strict, and no code is loaded from elsewhere or
// evaluated from strings. tests/unit/readme.test.ts checks the table against wxt.config.ts; this checks what ships.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DIR = path.resolve(ROOT, process.env.EXTENSION_DIR ?? '.output/chrome-mv3');
const built = existsSync(path.join(DIR, 'manifest.json'));

/** The permissions the product needs; anything more must be argued for here and in the README. */
const ALLOWED_PERMISSIONS = ['webRequest', 'storage', 'tabs', 'webNavigation', 'scripting', 'clipboardWrite'];
const ALLOWED_OPTIONAL = ['debugger'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

type Manifest = {
  manifest_version: number;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  externally_connectable?: unknown;
  web_accessible_resources?: { resources: string[]; matches: string[] }[];
  content_scripts?: { js?: string[]; world?: string }[];
  key?: string;
  update_url?: string;
};

describe.skipIf(!built)(`built manifest (${path.relative(ROOT, DIR)})`, () => {
  const manifest = (built ? JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) : {}) as Manifest;
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(
    readme.indexOf('## Permissions'),
    readme.indexOf('\n## ', readme.indexOf('## Permissions') + 5),
  );

  it('asks for the minimum: known permissions only, debugger optional only', () => {
    expect(manifest.manifest_version).toBe(3);
    for (const p of manifest.permissions ?? []) expect(ALLOWED_PERMISSIONS, `permission ${p}`).toContain(p);
    for (const p of manifest.optional_permissions ?? [])
      expect(ALLOWED_OPTIONAL, `optional permission ${p}`).toContain(p);
    expect(manifest.permissions ?? []).not.toContain('debugger');
    expect(manifest.host_permissions).toEqual(['<all_urls>']);
    expect(manifest.optional_host_permissions ?? []).toEqual([]);
  });

  it('explains every permission it asks for in the README permissions table', () => {
    for (const p of manifest.permissions ?? [])
      expect(table, `README row for ${p}`).toMatch(new RegExp(`\\| \`${p}\``));
    for (const p of manifest.optional_permissions ?? [])
      expect(table, `README row for optional ${p}`).toMatch(new RegExp(`\\| \`${p}\` \\(optional\\)`));
    expect(table).toContain('host access to all sites');
  });

  it('runs no storage listener in pages: every storage.local change would be copied into every frame of every tab', () => {
    expect(manifest.content_scripts ?? []).toEqual([]); // nothing in the manifest: the background injects the relay
    // The Report-To origin cache lives in storage.local and changes with every document that sends Report-To; a
    // content script listening to storage changes would be handed the whole old and new cache each time.
    // The hook (registered at runtime) and the relay (injected by the background).
    const scripts = [
      ...files(path.join(DIR, 'content-scripts')).filter((f) => f.endsWith('.js')),
      path.join(DIR, 'page-relay.js'),
    ];
    expect(scripts.every((f) => existsSync(f))).toBe(true);
    for (const f of scripts) expect(readFileSync(f, 'utf8'), path.basename(f)).not.toMatch(/onChanged/);
  });

  it('has a strict extension CSP: scripts from the package only, no eval, no inline, no remote hosts', () => {
    const csp = manifest.content_security_policy?.extension_pages ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|https?:|\*/);
    expect(manifest.content_security_policy?.sandbox).toBeUndefined();
  });

  it('exposes nothing to web pages or other extensions', () => {
    // No externally_connectable: other extensions and pages cannot message it (runtime.onMessageExternal is not used).
    expect(manifest.externally_connectable).toBeUndefined();
    // The MAIN-world hook is registered at run time and needs no web-accessible file.
    expect(manifest.web_accessible_resources ?? []).toEqual([]);
    expect(manifest.update_url).toBeUndefined();
  });

  it('loads no remote code: no remote <script> in HTML, no eval or new Function in the built JS', () => {
    const all = files(DIR);
    const html = all.filter((f) => f.endsWith('.html'));
    const js = all.filter((f) => f.endsWith('.js'));
    expect(html.length).toBeGreaterThan(0);
    expect(js.length).toBeGreaterThan(0);
    for (const f of html) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/<script\b[^>]*>/g)) {
        expect(m[0], path.relative(DIR, f)).not.toMatch(/src=["']?(https?:)?\/\//);
        // Inline scripts would be refused by the CSP anyway; there must be none.
        expect(m[0], path.relative(DIR, f)).toMatch(/\bsrc=/);
      }
      expect(text, path.relative(DIR, f)).not.toMatch(/<link\b[^>]*href=["']?(https?:)?\/\//);
    }
    for (const f of js) {
      const text = readFileSync(f, 'utf8');
      // `devtools.inspectedWindow.eval(...)` runs in the inspected page and is a method call, not JS eval.
      expect(text, path.relative(DIR, f)).not.toMatch(/(?<![.\w$])eval\s*\(/);
      expect(text, path.relative(DIR, f)).not.toMatch(/\bnew\s+Function\s*\(/);
      expect(text, path.relative(DIR, f)).not.toMatch(/\bimportScripts\s*\(\s*["'`]https?:/);
      expect(text, path.relative(DIR, f)).not.toMatch(/\bimport\s*\(\s*["'`]https?:/);
    }
  });
});

// Who may ask what, with the real request handler: a content script (a sender with a tab) or another extension
// cannot read or change any tab's data, nor make the extension send requests; only the extension's own pages can.
describe('request privileges', async () => {
  const { handleRequest, RequestError } = await import('@/entrypoints/background/requests');
  const { createStores } = await import('@/entrypoints/background/tab-and-origin-stores');
  const { TabViews } = await import('@/entrypoints/background/tab-views');
  const { request } = await import('@/utils/messaging/protocol');
  const { DEFAULT_SETTINGS } = await import('@/utils/storage/settings');
  const memory = () => {
    const data: Record<string, unknown> = {};
    return {
      get: async (keys: string[]) => Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, data[k]])),
      set: async (items: Record<string, unknown>) => void Object.assign(data, items),
      remove: async (keys: string[]) => keys.forEach((k) => delete data[k]),
    };
  };
  const stores = createStores(memory(), memory());
  let fetched = 0;
  const deps = {
    stores,
    views: new TabViews(stores),
    tabChanged: () => {},
    extensionId: 'ours',
    extensionOrigin: 'chrome-extension://ours/',
    now: () => 0,
    getTabUrl: async () => undefined,
    settings: async () => DEFAULT_SETTINGS,
    fetch: async () => {
      fetched++;
      return new Response('[]');
    },
  };
  const contentScript = { id: 'ours', tab: { id: 7 } as never, frameId: 0, url: 'https://evil.example/' };
  const otherExtension = { id: 'someone-else', url: 'chrome-extension://someone-else/page.html' };
  const forgedUrl = { id: 'someone-else', url: 'chrome-extension://ours/devtools-panel.html' };
  const ownPage = { id: 'ours', url: 'chrome-extension://ours/devtools-panel.html?tabId=8' };
  const asks = [
    request('getTabView', { tabId: 8 }),
    request('getTabView', { tabId: 7 }),
    request('getTabSummary', { tabId: 8 }),
    request('clearTabData', { tabId: 8, what: 'breadcrumbs' }),
    request('checkEndpoint', { url: 'https://collector.example/r', pageUrl: 'https://a.example/' }),
    request('readInbox', { url: 'https://collector.example/reports', tabId: 8 }),
    request('setDeepCapture', { tabId: 8, on: true }),
    request('crashTab', { tabId: 8 }),
  ];

  it.each([
    ['a content script', contentScript],
    ['another extension', otherExtension],
    ['another extension claiming our page URL', forgedUrl],
  ])('refuses every privileged request from %s', async (_, sender) => {
    for (const msg of asks)
      await expect(handleRequest(msg, sender, deps), msg.name).rejects.toBeInstanceOf(RequestError);
    expect(fetched).toBe(0);
  });

  it('takes page events only from a content script of ours, for its own tab (never a tab id in the payload)', async () => {
    const events = [{ kind: 'breadcrumb', crumb: { type: 'click', timestamp: 1, message: 'x' } }];
    await expect(
      handleRequest(request('pageEvents', { events } as never), otherExtension, deps),
    ).rejects.toBeInstanceOf(RequestError);
    await expect(handleRequest(request('pageEvents', { events } as never), ownPage, deps)).rejects.toBeInstanceOf(
      RequestError,
    );
    const forged = { ...request('pageEvents', { events } as never), payload: { events, tabId: 8 } };
    await expect(handleRequest(forged as never, contentScript, deps)).resolves.toEqual({ accepted: 1 });
    expect(await stores.tabs.get('tab:8')).toBeUndefined();
    expect((await stores.tabs.get('tab:7'))!.breadcrumbs).toHaveLength(1);
  });

  it('answers the extension’s own pages', async () => {
    await expect(handleRequest(request('getTabView', { tabId: 8 }), ownPage, deps)).resolves.toMatchObject({
      tabId: 8,
    });
  });

  it('listens to no other extension or page: no runtime.onMessageExternal / onConnectExternal in the background', () => {
    const src = readFileSync(path.join(ROOT, 'entrypoints/background/index.ts'), 'utf8');
    expect(src).not.toMatch(/onMessageExternal|onConnectExternal/);
  });
});
