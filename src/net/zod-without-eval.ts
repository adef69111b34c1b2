import { z } from 'zod';

/**
 * Loaded, for its effect, by the page before any of the contract's schemas is built: before the
 * lazy screens (src/app/router.tsx), first in OnlineParts, and before the auth and error schemas.
 * Zod decides at a schema's creation, so the order matters.
 *
 * Zod compiles object parsers with `new Function` where it may, and finds out by trying once. Under
 * Rally's Content-Security-Policy (`script-src 'self'`, no 'unsafe-eval') the try is refused and,
 * though Zod catches it, the browser reports a CSP violation on every load (an issue in DevTools,
 * a failed audit in Lighthouse's best practices). Pages parse few and small answers; Zod's
 * interpreter does it. The server keeps the compiled parsers: this runs in pages only.
 */
z.config({ jitless: true });
