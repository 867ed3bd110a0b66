import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { organisationDecider, organisationStream } from '@eenplan/domain';
import { SocialMapQueries } from '@eenplan/projections';
import { AggregateExecutor } from '../common/aggregate-executor';
import { Roles } from '../common/auth';
import { notFoundProblem } from '../common/problem';
import { ReadModelSync } from '../common/read-models';
import { ParseIdPipe } from '../common/validation';
import { answer, ETAG_HEADER, versioned } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteOrganisationCommand, OrganisationIntent } from './organisation.handler';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import { OrganisationsPageDto } from './organisations.pages.dto';
import {
  OrganisationDto,
  RegisterOrganisationDto,
  RegisterProfessionalDto,
  SearchOrganisationsQuery,
  UpdateWaitingTimeDto,
} from './organisations.dto';
import {
  OrganisationRegisteredDto,
  ProfessionalDeactivatedDto,
  ProfessionalRegisteredDto,
  WaitingDaysSetDto,
} from './organisations-answer.dto';

/** A page of the social map: an organisation is a few hundred bytes. */
export const ORGANISATIONS_PAGE = { fallback: 50, max: 200 } as const;

/** The social map (sociale kaart): shared by every team, kept by workers and admins. */
@ApiTags('social map')
@ApiBearerAuth()
@Controller('v1/organisations')
export class OrganisationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly executor: AggregateExecutor,
    private readonly socialMap: SocialMapQueries,
    private readonly readModels: ReadModelSync,
  ) {}

  private run(intent: OrganisationIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteOrganisationCommand(intent, ctx));
  }

  @Post()
  @Roles('worker', 'admin')
  @ApiOperation({
    operationId: 'registerOrganisation',
    summary: 'Put an organisation on the social map: expertise, location, waiting time in days',
  })
  @ApiCreatedResponse({ type: OrganisationRegisteredDto })
  async register(@Body() dto: RegisterOrganisationDto, @Write() ctx: WriteContext) {
    const organisationId = dto.organisationId ?? newId(ctx, 'organisationId');
    const written = await this.run(
      {
        type: 'RegisterOrganisation',
        organisationId,
        name: dto.name,
        expertise: { lifeDomains: dto.expertise.lifeDomains, tags: dto.expertise.tags },
        location: dto.location,
        waitingDays: dto.waitingDays,
      },
      ctx,
    );
    return answer(written, { organisationId });
  }

  @Get()
  @Roles('worker', 'admin')
  @ApiOperation({
    operationId: 'searchOrganisations',
    summary: 'Search the social map by expertise (a life domain or a tag) and location',
  })
  @ApiPaged(ORGANISATIONS_PAGE.fallback, ORGANISATIONS_PAGE.max)
  @ApiOkResponse({
    type: OrganisationsPageDto,
    description:
      '{ organisations: [...], next }, the shortest waiting time first (then by name); an organisation whose ' +
      'waiting time changes while a client pages moves to its new place in that order',
  })
  async search(@Query() query: SearchOrganisationsQuery): Promise<OrganisationsPageDto> {
    const { limit, after } = keysetQuery(
      query as unknown as Record<string, unknown>,
      ORGANISATIONS_PAGE.fallback,
      ORGANISATIONS_PAGE.max,
      ['int', 'text', 'id'],
      'organisations',
    );
    await this.readModels.caughtUp();
    const rows = await this.socialMap.search(
      { expertise: query.expertise, location: query.location },
      {
        limit: limit + 1,
        after: after && {
          waitingDays: after[0] as number,
          name: after[1] as string,
          organisationId: after[2] as string,
        },
      },
    );
    const page = keysetPage(rows, limit, (o) => [o.waitingDays, o.name, o.organisationId], 'organisations');
    return { organisations: page.items, next: page.next };
  }

  @Get(':id')
  @Roles('worker', 'admin')
  @ApiOperation({ operationId: 'getOrganisation', summary: 'One organisation, read from its stream' })
  @ApiOkResponse({
    type: OrganisationDto,
    headers: ETAG_HEADER,
    description: 'the organisation (ETag: its version)',
  })
  async get(@Param('id', ParseIdPipe) id: string) {
    const { state, version } = await this.executor.load(organisationStream(id), organisationDecider);
    if (!state.exists)
      throw notFoundProblem('OrganisationNotFound', `organisation ${id} is not on the social map`);
    const { exists: _exists, professionals, ...organisation } = state;
    return versioned(version, {
      ...organisation,
      professionals: Object.entries(professionals).map(([professionalId, p]) => ({ professionalId, ...p })),
      version,
    });
  }

  @Put(':id/waiting-time')
  @Roles('worker', 'admin')
  @ApiOperation({
    operationId: 'updateOrganisationWaitingTime',
    summary: "Update the organisation's waiting time in days",
  })
  @ApiOkResponse({ type: WaitingDaysSetDto })
  async updateWaitingTime(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateWaitingTimeDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'UpdateWaitingTime', organisationId: id, waitingDays: dto.waitingDays },
      ctx,
    );
    return answer(written, { organisationId: id, waitingDays: dto.waitingDays });
  }

  @Post(':id/professionals')
  @Roles('admin')
  @ApiOperation({
    operationId: 'registerProfessional',
    summary:
      'Register a professional of the organisation (specialist, family worker, personal supporter, jeugdbeschermer): they may then receive regie and answer referrals to it',
  })
  @ApiCreatedResponse({ type: ProfessionalRegisteredDto })
  async registerProfessional(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RegisterProfessionalDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      {
        type: 'RegisterProfessional',
        organisationId: id,
        professionalId: dto.professionalId,
        kind: dto.kind,
      },
      ctx,
    );
    return answer(written, {
      organisationId: id,
      professionalId: dto.professionalId,
      kind: dto.kind,
      active: true,
    });
  }

  @Post(':id/professionals/:professionalId/deactivate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    operationId: 'deactivateProfessional',
    summary: 'Deactivate a professional of the organisation: their token is refused from then on',
  })
  @ApiOkResponse({ type: ProfessionalDeactivatedDto })
  async deactivateProfessional(
    @Param('id', ParseIdPipe) id: string,
    @Param('professionalId', ParseIdPipe) professionalId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'DeactivateProfessional', organisationId: id, professionalId },
      ctx,
    );
    return answer(written, { organisationId: id, professionalId, active: false });
  }
}
