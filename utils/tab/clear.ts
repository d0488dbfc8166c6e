/** Clearing one kind of a tab's recorded entries (the panel's Clear buttons). */
import type { TabState } from './types';

/** What the panel can clear. */
export const CLEARABLE = ['breadcrumbs', 'reports', 'crashes', 'history'] as const;
export type Clearable = (typeof CLEARABLE)[number];

/** A tab's state with one kind of recorded entry cleared, and its dropped count reset. */
export function clearPart(s: TabState, what: Clearable): TabState {
  switch (what) {
    case 'breadcrumbs':
      return { ...s, breadcrumbs: [], checkpoint: null, dropped: { ...s.dropped, breadcrumbs: 0 } };
    case 'reports':
      return { ...s, reports: [], appReports: [], dropped: { ...s.dropped, reports: 0, appReports: 0 } };
    case 'crashes':
      return { ...s, crashes: [], dropped: { ...s.dropped, crashes: 0 } };
    case 'history':
      return { ...s, history: [], dropped: { ...s.dropped, history: 0 } };
  }
}
