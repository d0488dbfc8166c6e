import { render } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import type { PanelViewProps } from '@/components/panel/PanelView';
import { PanelView } from '@/components/panel/PanelView';
import type { TabName } from '@/components/panel/derive';
import type { TabView } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { NOW } from '../../fixtures/views';

type Extra = Partial<Omit<PanelViewProps, 'tab' | 'onTab' | 'filter' | 'onFilter'>> & { tab?: TabName; filter?: string };

function Harness({ tab: tab0 = 'overview', filter: filter0 = '', ...rest }: Extra & { view: TabView | null; analyses: readonly DocumentAnalysis[] }) {
  const [tab, setTab] = useState<TabName>(tab0);
  const [filter, setFilter] = useState(filter0);
  return (
    <PanelView
      tabId={rest.view?.tabId ?? 1}
      now={NOW}
      status="connected"
      breadcrumbFallbackHeight={440}
      {...rest}
      analyses={rest.analyses}
      view={rest.view}
      tab={tab}
      onTab={setTab}
      filter={filter}
      onFilter={setFilter}
    />
  );
}

/** Renders the panel from props, with working tab and filter state. */
export function renderPanel(view: TabView | null, analyses: readonly DocumentAnalysis[], extra: Extra = {}) {
  return render(<Harness view={view} analyses={analyses} {...extra} />);
}

/** Let pending promises and effects run. */
export const flush = () => new Promise<void>((r) => setTimeout(r, 0));
