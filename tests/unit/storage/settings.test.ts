import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  DEFAULT_SETTINGS,
  clampBuffer,
  excludeMatchesFor,
  isHookEnabled,
  matchingSite,
  normaliseSettings,
  normaliseSite,
  type Settings,
} from '@/utils/storage/settings';
import { loadSettings, saveSettings, settingsItem, watchSettings } from '@/utils/storage/settings-item';
import {
  PAGE_HOOK_FILE,
  PAGE_HOOK_SCRIPT_ID,
  syncPageHookRegistration,
  type HookScript,
  type ScriptingLike,
} from '@/entrypoints/background/page-hook-registration';

const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...over });

describe('settings', () => {
  test('defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({ hookEnabled: true, disabledSites: [], breadcrumbBuffer: 500 });
  });

  test.each([
    ['example.com', 'example.com'],
    [' https://WWW.Example.com/path?q=1 ', 'www.example.com'],
    ['example.com:8080', 'example.com'],
    ['*.example.com', 'example.com'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['http://[::1]:3000/', '[::1]'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['example.com.', 'example.com'],
  ])('normaliseSite(%j) = %j', (input, host) => {
    expect(normaliseSite(input)).toBe(host);
  });

  test.each(['', '   ', 'http://', 'exa mple.com', '*://*/*', 'javascript:alert(1)'])(
    'normaliseSite(%j) is null',
    (input) => {
      expect(normaliseSite(input)).toBeNull();
    },
  );

  test('clampBuffer', () => {
    expect(clampBuffer(10)).toBe(50);
    expect(clampBuffer(1e9)).toBe(5000);
    expect(clampBuffer(777.4)).toBe(777);
    expect(clampBuffer(NaN)).toBe(500);
    expect(clampBuffer('900')).toBe(500);
  });

  test('normaliseSettings repairs anything stored', () => {
    expect(normaliseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(
      normaliseSettings({
        hookEnabled: 'no',
        disabledSites: ['A.example', 'a.example', 3, 'not a host'],
        breadcrumbBuffer: 1,
      }),
    ).toEqual({
      hookEnabled: true,
      disabledSites: ['a.example'],
      breadcrumbBuffer: 50,
    });
  });

  test('isHookEnabled: global switch, sites and their subdomains', () => {
    const s = settings({ disabledSites: ['example.com', '127.0.0.1'] });
    expect(isHookEnabled(s, 'https://example.com/')).toBe(false);
    expect(isHookEnabled(s, 'https://shop.example.com/cart')).toBe(false);
    expect(isHookEnabled(s, 'http://127.0.0.1:8080/')).toBe(false);
    expect(isHookEnabled(s, 'https://notexample.com/')).toBe(true);
    expect(isHookEnabled(s, 'https://example.com.evil.test/')).toBe(true);
    expect(isHookEnabled(s, 'file:///tmp/a.html')).toBe(true);
    expect(isHookEnabled(s, 'not a url')).toBe(true);
    expect(isHookEnabled(settings({ hookEnabled: false }), 'https://other.test/')).toBe(false);
  });

  test('matchingSite names the covering entry', () => {
    expect(matchingSite(['example.com'], 'a.b.example.com')).toBe('example.com');
    expect(matchingSite(['example.com'], 'example.org')).toBeUndefined();
  });

  test('excludeMatchesFor: names with subdomains, addresses exactly', () => {
    expect(excludeMatchesFor(['example.com', '127.0.0.1', '[::1]', 'localhost'])).toEqual([
      '*://example.com/*',
      '*://*.example.com/*',
      '*://127.0.0.1/*',
      '*://[::1]/*',
      '*://localhost/*',
      '*://*.localhost/*',
    ]);
  });
});

describe('settings store', () => {
  beforeEach(() => fakeBrowser.reset());

  test('falls back to the defaults, stores normalised values, watches', async () => {
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
    const seen: Settings[] = [];
    const unwatch = watchSettings((s) => seen.push(s));
    const saved = await saveSettings({
      hookEnabled: false,
      disabledSites: ['https://A.example/x'],
      breadcrumbBuffer: 99999,
    });
    expect(saved).toEqual({ hookEnabled: false, disabledSites: ['a.example'], breadcrumbBuffer: 5000 });
    expect(await fakeBrowser.storage.local.get('settings')).toEqual({ settings: saved });
    expect(await loadSettings()).toEqual(saved);
    await settingsItem.setValue({ ...saved, breadcrumbBuffer: 3 });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.at(-1)).toEqual({ ...saved, breadcrumbBuffer: 50 });
    unwatch();
  });
});

describe('syncPageHookRegistration', () => {
  function fakeScripting(failUpdate = false) {
    const scripts = new Map<string, HookScript>();
    const calls: string[] = [];
    const api: ScriptingLike = {
      getRegisteredContentScripts: async (f) => [...scripts.values()].filter((s) => !f?.ids || f.ids.includes(s.id)),
      registerContentScripts: async (list) => {
        calls.push('register');
        for (const s of list) {
          if (scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
          scripts.set(s.id, s);
        }
      },
      updateContentScripts: async (list) => {
        calls.push('update');
        if (failUpdate) throw new Error('nope');
        for (const s of list) scripts.set(s.id, s);
      },
      unregisterContentScripts: async (f) => {
        calls.push('unregister');
        for (const id of f?.ids ?? [...scripts.keys()]) scripts.delete(id);
      },
    };
    return { api, scripts, calls };
  }

  test('registers the MAIN-world hook at document_start in all frames', async () => {
    const { api, scripts } = fakeScripting();
    expect(await syncPageHookRegistration(settings({ disabledSites: ['example.com'] }), api)).toBe('registered');
    expect(scripts.get(PAGE_HOOK_SCRIPT_ID)).toEqual({
      id: PAGE_HOOK_SCRIPT_ID,
      js: [PAGE_HOOK_FILE],
      matches: ['<all_urls>'],
      excludeMatches: ['*://example.com/*', '*://*.example.com/*'],
      runAt: 'document_start',
      allFrames: true,
      world: 'MAIN',
      persistAcrossSessions: true,
    });
    expect(PAGE_HOOK_FILE).toBe('content-scripts/page-hook.js');
  });

  test('updates when registered, unregisters when off, does nothing twice', async () => {
    const { api, scripts, calls } = fakeScripting();
    await syncPageHookRegistration(settings(), api);
    expect(await syncPageHookRegistration(settings({ disabledSites: ['a.example'] }), api)).toBe('updated');
    expect(scripts.get(PAGE_HOOK_SCRIPT_ID)?.excludeMatches).toEqual(['*://a.example/*', '*://*.a.example/*']);
    expect(await syncPageHookRegistration(settings({ hookEnabled: false }), api)).toBe('unregistered');
    expect(scripts.size).toBe(0);
    expect(await syncPageHookRegistration(settings({ hookEnabled: false }), api)).toBe('unchanged');
    expect(calls).toEqual(['register', 'update', 'unregister']);
  });

  test('an identical registration is left alone (the worker syncs on every wake)', async () => {
    const { api, calls } = fakeScripting();
    await syncPageHookRegistration(settings({ disabledSites: ['a.example'] }), api);
    expect(await syncPageHookRegistration(settings({ disabledSites: ['a.example'] }), api)).toBe('unchanged');
    expect(calls).toEqual(['register']);
  });

  test('falls back to unregister + register when an update is refused', async () => {
    const { api, scripts, calls } = fakeScripting(true);
    await syncPageHookRegistration(settings(), api);
    expect(await syncPageHookRegistration(settings({ disabledSites: ['b.example'] }), api)).toBe('updated');
    expect(calls).toEqual(['register', 'update', 'unregister', 'register']);
    expect(scripts.get(PAGE_HOOK_SCRIPT_ID)?.excludeMatches).toContain('*://b.example/*');
  });

  test('concurrent calls are serialised and end in the last state', async () => {
    const { api, scripts } = fakeScripting();
    await Promise.all([
      syncPageHookRegistration(settings(), api),
      syncPageHookRegistration(settings({ hookEnabled: false }), api),
      syncPageHookRegistration(settings({ disabledSites: ['c.example'] }), api),
    ]);
    expect(scripts.get(PAGE_HOOK_SCRIPT_ID)?.excludeMatches).toEqual(['*://c.example/*', '*://*.c.example/*']);
  });
});
