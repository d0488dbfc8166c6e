/**
 * The two headers that define reporting endpoints, `Report-To` (origin-scoped groups) and `Reporting-Endpoints`
 * (the document's own endpoints), parsed as Chromium keeps them (⚑ DESIGN.md contract 1). Pure.
 */
export { parseReportTo, type ReportToResult } from './report-to';
export { parseReportingEndpoints, type ReportingEndpointsResult } from './reporting-endpoints';
export { resolveEndpointUrl, type EndpointUrl } from './endpoint-url';
export { hasNoRegistrableDomain, hasRegistrableDomain } from './registrable-domain';
