/**
 * The background's side of the analyses (analyses.ts): every document of a view analysed against its origins, with
 * the moment time alone would change them. A cache keeps each document's analysis while the document, its origins
 * and that moment hold, so a tab busy with page events (breadcrumbs, many a second) is not re-analysed per push.
 * Pure.
 */
import { analyseDocument, type DocumentAnalysis } from './routes';
import { orderedDocuments, safeAnalyse } from './analyses';
import type { DocumentFacts, DocumentRecord, OriginConfig, TabAnalyses, TabState, TabView } from './types';

/**
 * How long an analysis that says how long ago something happened ("expired 3 min ago") stands: it is derived
 * again after this, the panel asking when it passes.
 */
export const AGO_REFRESH_MS = 10_000;

/** Every document of the view analysed at `now`, top first. */
export function analyseView(view: TabView | null, now: number): DocumentAnalysis[] {
  return orderedDocuments(view).map((d) => analyseDocument(d, view!.origins, now));
}

/** When analyses against `origins` made at `now` change by time alone: the next expiry, or an "ago" text aging. */
export function analysesUntil(origins: readonly OriginConfig[], now: number): number | null {
  let until: number | null = null;
  const sooner = (t: number) => (until = until === null || t < until ? t : until);
  for (const c of origins) {
    if (c.removedGroups.length > 0) sooner(now + AGO_REFRESH_MS);
    for (const g of c.groups) sooner(g.expiresAt > now ? g.expiresAt : now + AGO_REFRESH_MS);
  }
  return until;
}

const factsOf = ({ document: _d, ...facts }: DocumentAnalysis): DocumentFacts => facts;

interface Cached {
  origins: readonly OriginConfig[];
  until: number | null;
  facts: DocumentFacts;
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Analyses by document, reused while the document and its origins are the same objects (tab and origin states
 * are replaced, never changed in place) and their `until` has not passed.
 */
export class AnalysisCache {
  private readonly byDocument = new WeakMap<DocumentRecord, Cached>();

  facts(doc: DocumentRecord, origins: readonly OriginConfig[], now: number, until: number | null): DocumentFacts {
    const hit = this.byDocument.get(doc);
    if (hit && sameList(hit.origins, origins) && (hit.until === null || now < hit.until)) return hit.facts;
    const facts = factsOf(safeAnalyse(analyseDocument, doc, [...origins], now));
    this.byDocument.set(doc, { origins, until, facts });
    return facts;
  }
}

/** The analyses of a tab's documents and history against `origins` at `now` (through `cache` when given). */
export function deriveAnalyses(
  state: TabState,
  origins: readonly OriginConfig[],
  now: number,
  cache: AnalysisCache = new AnalysisCache(),
): TabAnalyses {
  const until = analysesUntil(origins, now);
  const documents: Record<string, DocumentFacts> = {};
  for (const d of Object.values(state.documents)) documents[String(d.frameId)] = cache.facts(d, origins, now, until);
  return { documents, history: state.history.map((d) => cache.facts(d, origins, now, until)), until };
}
