import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The OpenAPI UI at /docs: its own scripts and styles from this origin (its page has inline <style>
 * blocks, its icons are data: URIs), calls to this origin only ("Try it out"), never framed.
 */
export const DOCS_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * helmet's standard headers on every answer, with a CSP that lets nothing load (JSON needs nothing;
 * /docs and the timeline page set their own), and HSTS only when TLS ends in a proxy in front of
 * the app (TLS_TERMINATED_BY_PROXY): over plain HTTP the header means nothing, and behind the proxy
 * it is the one place the browser hears it from.
 */
export const securityHeaders = (tlsTerminatedByProxy: boolean): RequestHandler =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: tlsTerminatedByProxy ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

export const docsCsp = (): RequestHandler =>
  helmet.contentSecurityPolicy({ useDefaults: false, directives: DOCS_CSP });

/**
 * Answers under /v1 carry personal data: no cache (browser, proxy) may keep them. Set before
 * anything can answer, so refusals (401, 403, 404, problem+json of any kind) carry it too.
 */
export const noStore = (_req: Request, res: Response, next: NextFunction): void => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
