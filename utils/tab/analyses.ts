/**
 * A view's documents with the analyses the background derived for them (derive-analyses.ts), for the screens that
 * show them. Pure, and free of the header parsers: the panel bundle imports it.
 */
import type { DocumentAnalysis } from './routes';
import { noCrashRoute, type DocumentFacts, type DocumentRecord, type OriginConfig, type TabView } from './types';

/** The tab's documents, top frame first, then iframes by frame id. */
export function orderedDocuments(view: TabView | null): DocumentRecord[] {
  if (!view) return [];
  return Object.values(view.state.documents).sort((a, b) =>
    a.frameId === 0 ? -1 : b.frameId === 0 ? 1 : a.frameId - b.frameId,
  );
}

/** What stands for a document the view carries no analysis of: nothing configured, and a problem saying why. */
function unanalysed(document: DocumentRecord, why: string): DocumentAnalysis {
  return {
    document,
    secure: document.url.startsWith('https:'),
    endpoints: document.endpoints,
    groups: [],
    routes: [],
    crash: noCrashRoute('unknown (analysis failed)'),
    diagnostics: [
      ...document.diagnostics,
      {
        severity: 'error',
        code: 'analysis-failed',
        message: `Report Inspector could not analyse this document: ${why}`,
        header: '(routes)',
      },
    ],
  };
}

const joined = (document: DocumentRecord, facts: DocumentFacts | undefined): DocumentAnalysis =>
  facts ? { document, ...facts } : unanalysed(document, 'no analysis arrived with it');

/** The view's documents with their analyses, top first (as `orderedDocuments`). */
export function analysesOf(view: TabView | null): DocumentAnalysis[] {
  if (!view?.analyses) return [];
  const byFrame = view.analyses.documents;
  return orderedDocuments(view).map((d) => joined(d, byFrame[String(d.frameId)]));
}

/** The view's previous documents with their analyses, newest first (as `state.history`). */
export function historyAnalysesOf(view: TabView | null): DocumentAnalysis[] {
  if (!view?.analyses) return [];
  const list = view.analyses.history;
  return view.state.history.map((d, i) => joined(d, list[i]));
}

export type Analyse = (doc: DocumentRecord, origins: OriginConfig[], now: number) => DocumentAnalysis;

/** The analysis of a document; a bug in it must not blank the panel: the failure shows as a problem instead. */
export function safeAnalyse(
  analyse: Analyse,
  d: DocumentRecord,
  origins: OriginConfig[],
  now: number,
): DocumentAnalysis {
  try {
    return analyse(d, origins, now);
  } catch (e) {
    return unanalysed(d, e instanceof Error ? e.message : String(e));
  }
}
