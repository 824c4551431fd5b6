// The page a browser shows instead of a bundle that failed its integrity checks (docs/web-integrity.md). Static
// HTML: no script and no style at all (the CSP forbids inline ones, and an unverified stylesheet must not load),
// saying plainly what failed, that nothing was run, and whom to call.
import type { IntegrityRefusal, RefusalReason } from './verify-release.ts';

/** The app's own policy (src/node/web-app.ts WEB_APP_CSP), tightened: this page loads nothing at all. */
const REFUSAL_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const HEADLINES: Readonly<Record<RefusalReason, string>> = {
  unsigned: 'This version of Chancery was not signed by your organisation.',
  unlogged: "This version of Chancery was not recorded in your organisation's audit log.",
  altered: 'A file of this version of Chancery was altered.',
  unavailable: 'This version of Chancery could not be checked.',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function refusalHtml(refusal: IntegrityRefusal): string {
  const file = refusal.file === null ? '' : `\n<p>Altered file: <code data-testid="refused-file">${escapeHtml(refusal.file)}</code></p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Chancery — refused</title>
</head>
<body>
<main data-testid="integrity-refusal" data-reason="${refusal.reason}">
<h1>Chancery refused to start</h1>
<p><strong data-testid="refusal-headline">${HEADLINES[refusal.reason]}</strong></p>${file}
<p>Nothing from it was run. Your keys and cables were not touched.</p>
<p>Details: ${escapeHtml(refusal.message)}</p>
<p>Call your security officer now and tell them what this page says. Do not try another browser or device to get
around it: the server you reached may be serving a version your organisation did not approve.</p>
</main>
</body>
</html>
`;
}

/** The refusal as a navigation's answer: HTML, no cache, no script. */
export function refusalResponse(refusal: IntegrityRefusal): Response {
  return new Response(refusalHtml(refusal), {
    status: 409,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': REFUSAL_CSP,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    },
  });
}
