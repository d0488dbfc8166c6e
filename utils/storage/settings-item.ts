/**
 * Where the settings live: `storage.local` under `settings`, typed with WXT storage. Readers normalise what
 * they get (an older or hand-edited value never breaks them).
 */
import { storage } from 'wxt/utils/storage';
import { DEFAULT_SETTINGS, normaliseSettings, SETTINGS_KEY, type Settings } from './settings';

export const settingsItem = storage.defineItem<Settings>(`local:${SETTINGS_KEY}`, {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** The stored settings, normalised. */
export async function loadSettings(): Promise<Settings> {
  return normaliseSettings(await settingsItem.getValue());
}

/** Store settings (normalised first); returns what was stored. */
export async function saveSettings(settings: Settings): Promise<Settings> {
  const value = normaliseSettings(settings);
  await settingsItem.setValue(value);
  return value;
}

/** Calls `cb` with the normalised settings whenever they change. Returns the unwatch function. */
export function watchSettings(cb: (settings: Settings) => void): () => void {
  return settingsItem.watch((value) => cb(normaliseSettings(value)));
}
