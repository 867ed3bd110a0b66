import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaticAsset, StaticHtml } from '../common/static-page';
import { MIJN_PLAN_CSS } from './mijn-plan.style';
import { MIJN_PLAN_HTML, MIJN_PLAN_ICON } from './mijn-plan.page';
import { MIJN_PLAN_JS } from './mijn-plan.script';

/**
 * "Mijn plan", the residents' page: static files without any household data, kept as strings so
 * the build (tsc) ships them without a copy step. The page takes the token the municipality's
 * sign-in hands over in the URL fragment and calls the API with it, so who may see what is decided
 * where the data is (GET /v1/households/:id/my-plan and the rest).
 */
@ApiExcludeController()
@Controller('mijn-plan')
export class MijnPlanController {
  @StaticHtml()
  page(): string {
    return MIJN_PLAN_HTML;
  }

  @StaticAsset('mijn-plan.js', 'script')
  script(): string {
    return MIJN_PLAN_JS;
  }

  @StaticAsset('mijn-plan.css', 'style')
  style(): string {
    return MIJN_PLAN_CSS;
  }

  @StaticAsset('icon.svg', 'svg')
  icon(): string {
    return MIJN_PLAN_ICON;
  }
}
