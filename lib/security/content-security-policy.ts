// Where browsers send what the policy blocked (app/api/csp-report/route.ts).
export const CSP_REPORT_PATH = "/api/csp-report";
export const CSP_REPORT_GROUP = "csp";

// Scripts run only with this request's nonce ('strict-dynamic' lets Next's own
// loaders add chunks); nothing inline or eval'd in production. Development needs
// eval for React's fast refresh. Violations are reported, so a real one is seen:
// report-uri everywhere, and the Reporting API's report-to where the console is
// served over HTTPS (browsers deliver those only to a trustworthy origin).
export function contentSecurityPolicy(nonce: string, dev: boolean, options: { reportTo?: boolean } = {}): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'${dev ? " ws:" : ""}`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `frame-ancestors 'none'`,
    `form-action 'self'`,
    `report-uri ${CSP_REPORT_PATH}`,
    ...(options.reportTo ? [`report-to ${CSP_REPORT_GROUP}`] : []),
  ].join("; ");
}

/** The Reporting API endpoint named by report-to. */
export const reportingEndpoints = () => `${CSP_REPORT_GROUP}="${CSP_REPORT_PATH}"`;

export const SECURITY_HEADERS: Record<string, string> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};
