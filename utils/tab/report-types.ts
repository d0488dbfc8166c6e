/** The report types' names as people read them. Pure, and free of the header parsers. */
import type { RouteReportType } from './types';

/** Human names of report types, for the panel and the popup. */
export const REPORT_TYPE_LABELS: Record<RouteReportType, string> = {
  'csp-violation': 'CSP violation',
  'csp-hash': 'CSP script hash',
  'network-error': 'Network error (NEL)',
  coop: 'COOP',
  coep: 'COEP',
  'permissions-policy-violation': 'Permissions-Policy violation',
  'potential-permissions-policy-violation': 'Potential Permissions-Policy violation (iframes)',
  'document-policy-violation': 'Document-Policy violation',
  'integrity-violation': 'Integrity-Policy violation',
  deprecation: 'Deprecation',
  intervention: 'Intervention',
  crash: 'Crash',
};
