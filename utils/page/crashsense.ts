/**
 * Recognises what the CrashSense SDK leaves in a page (DESIGN ⚑4): the checkpoint it keeps in
 * `sessionStorage['__crashsense_checkpoint']`, and the crash reports apps upload to their own backend.
 * Pure; the recogniser ships inside the MAIN-world hook, so it stays small and cheap.
 */
import type { AppCrashReport, CrashSenseCheckpoint } from './types';
import { scrub, scrubValue } from './scrub';
import {
  CAPS,
  boundedObject,
  boundedJson,
  isObj,
  jsonSize,
  num,
  numOrNull,
  parseBreadcrumbs,
  str,
  type Obj,
} from './untrusted';

export const CHECKPOINT_KEY = '__crashsense_checkpoint';

/** What a recognised upload tells, before the hook adds where and how it was sent. */
export type RecognisedAppReport = Omit<
  AppCrashReport,
  'seq' | 'frameId' | 'transport' | 'destination' | 'status' | 'at' | 'uploadId'
>;

/**
 * Upload bodies looked at, at most: a batch of 10 full CrashSense reports stays well below, and the hook's
 * message carrying it (JSON escaping adds up to a fifth) stays under the relay's 256 KB bound.
 */
export const MAX_APP_BODY = 128 * 1024;
/** Reports kept from one batch upload. */
const MAX_BATCH = 50;
/** Breadcrumbs kept per report (CrashSense keeps up to 50; the panel shows the last ones). */
const REPORT_CRUMBS = 30;
/** Breadcrumbs kept from a checkpoint (CrashSense writes the last 20). */
const CHECKPOINT_CRUMBS = 50;
const LEVELS: ReadonlySet<string> = /* @__PURE__ */ new Set(['elevated', 'critical', 'imminent']);

/**
 * Cheap test before any parsing: a body that may hold CrashSense reports starts with `{` or `[` and names both
 * `"fingerprint"` and `"category"`. Costs two `indexOf` on bodies that pass the first character.
 */
export function mayBeCrashSenseBody(body: string): boolean {
  return (
    body.length <= MAX_APP_BODY &&
    /^\s*[[{]/.test(body) &&
    body.includes('"fingerprint"') &&
    body.includes('"category"')
  );
}

function contributingFactors(raw: unknown): RecognisedAppReport['contributingFactors'] {
  if (!Array.isArray(raw)) return [];
  const out: RecognisedAppReport['contributingFactors'] = [];
  for (const f of raw.slice(0, 20)) {
    if (isObj(f) && typeof f.factor === 'string') {
      out.push({
        factor: str(f.factor, CAPS.name),
        weight: num(f.weight, 0),
        evidence: scrub(str(f.evidence, CAPS.message)),
      });
    }
  }
  return out;
}

/** A CrashEvent (has classification and an error), or null. */
function fromEvent(e: Obj, shape: RecognisedAppReport['shape']): RecognisedAppReport | null {
  if (typeof e.fingerprint !== 'string' || typeof e.category !== 'string' || !isObj(e.error)) return null;
  const crumbs = parseBreadcrumbs(e.breadcrumbs, REPORT_CRUMBS);
  for (const c of crumbs) c.message = scrub(c.message);
  return {
    shape,
    category: str(e.category, CAPS.name),
    subcategory: str(e.subcategory, CAPS.name),
    severity: str(e.severity, CAPS.name),
    confidence: numOrNull(e.confidence),
    message: scrub(str(e.error.message, CAPS.message)),
    fingerprint: str(e.fingerprint, CAPS.name),
    contributingFactors: contributingFactors(e.contributingFactors),
    breadcrumbs: crumbs,
  };
}

function recogniseOne(v: unknown): RecognisedAppReport | null {
  if (!isObj(v)) return null;
  // CrashReport { event, analysis, timestamp }
  if (isObj(v.event) && typeof v.timestamp === 'number') return fromEvent(v.event, 'CrashReport');
  if (isObj(v.error)) return fromEvent(v, 'CrashEvent');
  // The subset the plugin example posts: { category, subcategory, severity, message, fingerprint }
  if (typeof v.fingerprint === 'string' && typeof v.category === 'string' && typeof v.message === 'string') {
    return {
      shape: 'subset',
      category: str(v.category, CAPS.name),
      subcategory: str(v.subcategory, CAPS.name),
      severity: str(v.severity, CAPS.name),
      confidence: null,
      message: scrub(str(v.message, CAPS.message)),
      fingerprint: str(v.fingerprint, CAPS.name),
      contributingFactors: [],
      breadcrumbs: [],
    };
  }
  return null;
}

/**
 * The CrashSense reports in an upload body (already parsed JSON): a `CrashReport`, a `CrashEvent`, the
 * plugin subset, or a batch array of any of them. Anything else gives `[]`. Messages are scrubbed.
 */
export function recogniseCrashSenseBody(body: unknown): RecognisedAppReport[] {
  const items = Array.isArray(body) ? body.slice(0, MAX_BATCH) : [body];
  const out: RecognisedAppReport[] = [];
  for (const item of items) {
    const r = recogniseOne(item);
    if (r) out.push(r);
  }
  return out;
}

/**
 * A validated, bounded and scrubbed checkpoint from its stored JSON, or null when the text is not one
 * (not JSON, too large, no version/timestamp/sessionId/breadcrumbs).
 */
export function parseCheckpoint(json: string): CrashSenseCheckpoint | null {
  if (typeof json !== 'string' || json.length > CAPS.checkpointBytes * 4) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  return validateCheckpoint(raw);
}

/** The checkpoint check of {@link parseCheckpoint}, for an already parsed value. */
export function validateCheckpoint(raw: unknown): CrashSenseCheckpoint | null {
  if (!isObj(raw)) return null;
  if (typeof raw.version !== 'number' || !Number.isFinite(raw.version)) return null;
  if (typeof raw.timestamp !== 'number' || !Number.isFinite(raw.timestamp)) return null;
  if (typeof raw.sessionId !== 'string' || !Array.isArray(raw.breadcrumbs)) return null;
  const breadcrumbs = parseBreadcrumbs(raw.breadcrumbs, CHECKPOINT_CRUMBS);
  for (const c of breadcrumbs) {
    c.message = scrub(c.message);
    if (c.data) c.data = scrubValue(c.data) as Obj;
  }
  const warnings: CrashSenseCheckpoint['preCrashWarnings'] = [];
  if (Array.isArray(raw.preCrashWarnings)) {
    for (const w of raw.preCrashWarnings.slice(-20)) {
      if (isObj(w) && typeof w.level === 'string' && LEVELS.has(w.level)) {
        warnings.push({
          level: w.level as CrashSenseCheckpoint['preCrashWarnings'][number]['level'],
          reason: scrub(str(w.reason, CAPS.message)),
          timestamp: num(w.timestamp, 0),
        });
      }
    }
  }
  const cp: CrashSenseCheckpoint = {
    version: raw.version,
    timestamp: raw.timestamp,
    sessionId: str(raw.sessionId, CAPS.name),
    appId: str(raw.appId, CAPS.name),
    url: scrub(str(raw.url, CAPS.url)),
    breadcrumbs,
    systemState: scrubValue(boundedObject(raw.systemState, 16 * 1024)) as Obj,
    device: scrubValue(boundedObject(raw.device, 8 * 1024)) as Obj,
    preCrashWarnings: warnings,
    memoryTrend: boundedJson(raw.memoryTrend, 256, 2) ?? null,
    checkpointCount: num(raw.checkpointCount, 0),
  };
  // Still too big (many large breadcrumb data): drop the data, then the oldest breadcrumbs.
  if (jsonSize(cp) > CAPS.checkpointBytes) for (const c of cp.breadcrumbs) delete c.data;
  while (cp.breadcrumbs.length && jsonSize(cp) > CAPS.checkpointBytes) cp.breadcrumbs.shift();
  return cp;
}
