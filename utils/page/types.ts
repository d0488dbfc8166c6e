/**
 * Shapes of what crosses the page boundary once validated: breadcrumbs, observed reports, CrashSense checkpoints and
 * the crash reports an app sends to its own backend, and the one list of breadcrumb types.
 */

/** Every breadcrumb type, in the order the panel lists them; the relay and the worker accept these only. */
export const BREADCRUMB_TYPES = ['click', 'navigation', 'network', 'console', 'state', 'custom'] as const;
export type BreadcrumbType = (typeof BREADCRUMB_TYPES)[number];

/** CrashSense `Breadcrumb` (⚑ contract) plus where it came from. */
export interface Breadcrumb {
  type: BreadcrumbType;
  timestamp: number;
  message: string;
  data?: Record<string, unknown>;
}

export interface BreadcrumbEntry extends Breadcrumb {
  /** Monotonic per tab, for stable ordering and de-duplication. */
  seq: number;
  frameId: number;
  /** `page` for the extension's own recorder, `crashsense` for entries read from an app's checkpoint. */
  source: 'page' | 'crashsense';
  /** Console level or error kind, for icons and filters. */
  level?: 'log' | 'info' | 'warn' | 'error' | 'debug';
}

/** A report observed in the page through `ReportingObserver`. */
export interface LiveReport {
  seq: number;
  frameId: number;
  type: string;
  url: string;
  body: Record<string, unknown>;
  observedAt: number;
}

/** A CrashSense checkpoint (`sessionStorage['__crashsense_checkpoint']`), validated and bounded. */
export interface CrashSenseCheckpoint {
  version: number;
  timestamp: number;
  sessionId: string;
  appId: string;
  url: string;
  breadcrumbs: Breadcrumb[];
  systemState: Record<string, unknown>;
  device: Record<string, unknown>;
  preCrashWarnings: { level: 'elevated' | 'critical' | 'imminent'; reason: string; timestamp: number }[];
  memoryTrend: unknown;
  checkpointCount: number;
}

export interface CheckpointRecord {
  seenAt: number;
  frameId: number;
  /** The document that held it. */
  url: string;
  checkpoint: CrashSenseCheckpoint;
  /**
   * Found at load time in a document that followed a crash of this tab: the previous session ended
   * abnormally and this is its last state.
   */
  abnormalEnd: boolean;
}

/** A CrashSense report the page sent to its own backend. */
export interface AppCrashReport {
  seq: number;
  at: number;
  frameId: number;
  transport: 'fetch' | 'xhr' | 'beacon';
  destination: string;
  /** HTTP status of the upload, null for beacons and while pending, 0 for network failures. */
  status: number | null;
  shape: 'CrashReport' | 'CrashEvent' | 'subset';
  category: string;
  subcategory: string;
  severity: string;
  confidence: number | null;
  message: string;
  fingerprint: string;
  contributingFactors: { factor: string; weight: number; evidence: string }[];
  breadcrumbs: Breadcrumb[];
  /** The upload that carried it (one per fetch/XHR/beacon, shared by a batch), so its status can follow. */
  uploadId?: string;
}
