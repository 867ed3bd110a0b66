import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth';
import { TIMELINE_CSS, TIMELINE_FAVICON, TIMELINE_HTML, TIMELINE_JS } from './timeline.assets';

/**
 * The auditor's regie timeline: a static page. It holds no data itself; it asks for a token and
 * calls the API with it, so the auditor role is checked where the data is (regie history, handoffs).
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

@ApiExcludeController()
@Controller('timeline')
export class TimelineController {
  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CSP)
  @Header('Referrer-Policy', 'no-referrer')
  @Header('X-Content-Type-Options', 'nosniff')
  page(): string {
    return TIMELINE_HTML;
  }

  @Get('timeline.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return TIMELINE_JS;
  }

  @Get('timeline.css')
  @Public()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  style(): string {
    return TIMELINE_CSS;
  }

  /** Its own icon, so the browser's request for one is answered (a 404 is an error in the console). */
  @Get('favicon.svg')
  @Public()
  @Header('Content-Type', 'image/svg+xml')
  @Header('X-Content-Type-Options', 'nosniff')
  icon(): string {
    return TIMELINE_FAVICON;
  }
}
