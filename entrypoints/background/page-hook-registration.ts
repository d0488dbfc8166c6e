/**
 * Registers the MAIN-world page hook (`content-scripts/page-hook.js`, built from
 * `entrypoints/page-hook.content.ts` with `registration: 'runtime'`) with the scripting API, so the settings
 * can turn it off globally or per site without a manifest change. Needs the `scripting` permission.
 *
 * A registration applies to documents loaded after it: pages already open keep the hook until they reload,
 * and their relay forwards nothing while the settings say off.
 */
import browser from 'webextension-polyfill';
import type { Settings } from '@/utils/storage/settings';
import { excludeMatchesFor } from '@/utils/storage/settings';
import { loadSettings, watchSettings } from '@/utils/storage/settings-item';

export const PAGE_HOOK_SCRIPT_ID = 'report-inspector-page-hook';
export const PAGE_HOOK_FILE = 'content-scripts/page-hook.js';

/** What the registration needs of `browser.scripting` (tests pass a fake). */
export interface ScriptingLike {
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<Partial<HookScript>[]>;
  registerContentScripts(scripts: HookScript[]): Promise<void>;
  updateContentScripts(scripts: HookScript[]): Promise<void>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
}

export interface HookScript {
  id: string;
  js: string[];
  matches: string[];
  excludeMatches: string[];
  runAt: 'document_start';
  allFrames: true;
  world: 'MAIN';
  persistAcrossSessions: true;
}

/** The registration the settings call for, or null when the hook is off. */
function hookScriptFor(settings: Settings): HookScript | null {
  if (!settings.hookEnabled) return null;
  return {
    id: PAGE_HOOK_SCRIPT_ID,
    js: [PAGE_HOOK_FILE],
    matches: ['<all_urls>'],
    excludeMatches: excludeMatchesFor(settings.disabledSites),
    runAt: 'document_start',
    allFrames: true,
    world: 'MAIN',
    persistAcrossSessions: true,
  };
}

function sameScript(have: Partial<HookScript>, want: HookScript): boolean {
  const list = (v: string[] | undefined) => JSON.stringify([...(v ?? [])].sort());
  return (
    list(have.js) === list(want.js) &&
    list(have.matches) === list(want.matches) &&
    list(have.excludeMatches) === list(want.excludeMatches) &&
    have.runAt === want.runAt &&
    have.allFrames === want.allFrames &&
    have.world === want.world
  );
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Make the hook's registration match `settings`: registered (or updated) when on, unregistered when off.
 * Calls are serialised, so bursts of settings changes end in the last one's state.
 */
export function syncPageHookRegistration(
  settings: Settings,
  scripting: ScriptingLike = browser.scripting as unknown as ScriptingLike,
): Promise<'registered' | 'updated' | 'unregistered' | 'unchanged'> {
  const run = async () => {
    const want = hookScriptFor(settings);
    const [current] = await scripting.getRegisteredContentScripts({ ids: [PAGE_HOOK_SCRIPT_ID] });
    const have = current !== undefined;
    if (!want) {
      if (!have) return 'unchanged' as const;
      await scripting.unregisterContentScripts({ ids: [PAGE_HOOK_SCRIPT_ID] });
      return 'unregistered' as const;
    }
    if (!have) {
      await scripting.registerContentScripts([want]);
      return 'registered' as const;
    }
    // The worker syncs on every wake: leave an identical registration alone.
    if (sameScript(current, want)) return 'unchanged' as const;
    try {
      await scripting.updateContentScripts([want]);
    } catch {
      // Some versions refuse to update a field to an empty list: register afresh.
      await scripting.unregisterContentScripts({ ids: [PAGE_HOOK_SCRIPT_ID] });
      await scripting.registerContentScripts([want]);
    }
    return 'updated' as const;
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/**
 * For the background's start: sync the registration with the stored settings now and on every change.
 * Errors are logged, not thrown (a failed registration must not stop the worker). Returns the unwatch.
 */
export function initPageHookRegistration(scripting?: ScriptingLike): () => void {
  const sync = (s: Settings) =>
    syncPageHookRegistration(s, scripting).catch((err: unknown) => console.warn('page hook registration failed', err));
  void loadSettings().then(sync);
  return watchSettings((s) => void sync(s));
}
