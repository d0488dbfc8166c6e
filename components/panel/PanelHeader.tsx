import type { Ref } from 'preact';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

export interface PanelHeaderProps {
  filter: string;
  onFilter: (text: string) => void;
  onExport?: () => void;
  exportDisabled?: boolean;
  status: ConnectionStatus;
  filterRef?: Ref<HTMLInputElement>;
  /** Whether Export adds the raw internal state. */
  exportRaw?: boolean;
  onExportRaw?: (on: boolean) => void;
  /** Host of the inspected page, when known (never the browser's internal tab id). */
  host?: string | null;
}

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
};

/** Filter box, Export button and connection status. */
export function PanelHeader({
  filter,
  onFilter,
  onExport,
  exportDisabled,
  status,
  filterRef,
  host,
  exportRaw = false,
  onExportRaw,
}: PanelHeaderProps) {
  return (
    <header class="panel-header">
      <input
        ref={filterRef}
        type="search"
        class="filter"
        placeholder="Filter (Ctrl+F)"
        aria-label="Filter rows"
        data-testid="filter-input"
        value={filter}
        onInput={(e) => onFilter(e.currentTarget.value)}
      />
      <span class="spacer" />
      {host && (
        <span class="muted mono" data-testid="panel-host">
          {host}
        </span>
      )}
      <span class={`status status-${status}`} data-testid="connection-status" data-status={status} role="status">
        <span class="dot" aria-hidden="true" />
        {STATUS_TEXT[status]}
      </span>
      {onExportRaw && (
        <label class="muted export-raw" title="Adds the extension's internal state for this tab to the bug report">
          <input
            type="checkbox"
            data-testid="export-raw"
            checked={exportRaw}
            onChange={(e) => onExportRaw(e.currentTarget.checked)}
          />{' '}
          raw state
        </label>
      )}
      <button
        type="button"
        class="btn"
        title="Saves a bug-report JSON file for this tab (nothing is sent anywhere)"
        data-testid="export-button"
        disabled={exportDisabled || !onExport}
        onClick={onExport}
      >
        Export
      </button>
    </header>
  );
}
