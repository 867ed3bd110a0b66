import { applyDecorators, Get, Header } from '@nestjs/common';
import { Public } from './auth';

/**
 * The CSP of a page the app serves as static files (its HTML, one script, one style sheet, all
 * from this origin): no inline script or style, no other origin, calls to this API only, never
 * framed. The page holds no data; it calls the guarded API with the user's token.
 */
export const STATIC_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * GET of a static page's HTML: no token (it carries no data), its own CSP, no Referer to anyone
 * (the page's address may have carried a token in its fragment), never sniffed.
 */
export const StaticHtml = (path?: string) =>
  applyDecorators(
    Get(path),
    Public(),
    Header('Content-Type', 'text/html; charset=utf-8'),
    Header('Content-Security-Policy', STATIC_PAGE_CSP),
    Header('Referrer-Policy', 'no-referrer'),
    Header('X-Content-Type-Options', 'nosniff'),
  );

const ASSET_TYPES = {
  script: 'text/javascript; charset=utf-8',
  style: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
} as const;

/** GET of a static page's script, style sheet or icon: no token, typed so the browser never guesses. */
export const StaticAsset = (path: string, kind: keyof typeof ASSET_TYPES) =>
  applyDecorators(
    Get(path),
    Public(),
    Header('Content-Type', ASSET_TYPES[kind]),
    Header('X-Content-Type-Options', 'nosniff'),
  );
