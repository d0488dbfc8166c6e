/** The collector inbox address the panel remembers: `storage.local` under `inboxUrl`, typed with WXT storage. */
import { storage } from 'wxt/utils/storage';
import { DEFAULT_INBOX_URL } from '@/utils/delivery/inbox';

export const inboxUrlItem = storage.defineItem<string>('local:inboxUrl', { fallback: DEFAULT_INBOX_URL });
