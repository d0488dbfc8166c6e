/**
 * The panel's export: a tab's whole state as versioned JSON, so it can be attached to a bug report or compared
 * across deploys. Pure: the caller downloads it.
 */
import type { TabView } from './types';
import { fileStamp, hostOf } from '@/utils/display/format';

export const EXPORT_FORMAT = 'report-inspector-export' as const;
export const EXPORT_VERSION = 1 as const;

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  tab: TabView;
}

/** The export document for a tab view. */
export function buildExport(view: TabView, now: number): ExportFile {
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date(now).toISOString(), tab: view };
}

/** The export as indented JSON text. */
export function exportJson(view: TabView, now: number): string {
  return JSON.stringify(buildExport(view, now), null, 2);
}

/** `report-inspector-<host>-<date>.json`, host of the top document (`tab-<id>` when there is none). */
export function exportFileName(view: TabView, now: number): string {
  const top = view.state.documents['0'];
  const host = (top && hostOf(top.url)) || `tab-${view.tabId}`;
  const safe = host.toLowerCase().replace(/[^a-z0-9.-]+/g, '_').slice(0, 100);
  return `report-inspector-${safe}-${fileStamp(now)}.json`;
}

/** Reads an export back, checking its format and version; null when it is not one. */
export function parseExport(text: string): ExportFile | null {
  try {
    const v = JSON.parse(text) as Partial<ExportFile> | null;
    if (!v || v.format !== EXPORT_FORMAT || v.version !== EXPORT_VERSION || typeof v.tab !== 'object' || !v.tab) return null;
    return v as ExportFile;
  } catch {
    return null;
  }
}
