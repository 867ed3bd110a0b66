import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { VolunteerEvent, volunteerDecider, volunteerStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { VolunteerAssignmentsQueries } from '@eenplan/projections';
import type { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { notFoundProblem } from '../common/problem';
import { ReadModelSync } from '../common/read-models';
import { EVENT_STORE } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { answer, ETAG_HEADER, versioned } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteVolunteerCommand, VolunteerIntent } from './volunteer.handler';
import { RegisterVolunteerDto, UpdateVogDto, VolunteerDto } from './volunteers.dto';
import { VolunteerAssignmentsPageDto } from './volunteers.pages.dto';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import { VogUpdatedDto, VolunteerDeactivatedDto, VolunteerRegisteredDto } from './volunteers-answer.dto';

/** A page of a volunteer's assignments: each is a few hundred bytes. */
export const ASSIGNMENTS_PAGE = { fallback: 50, max: 200 } as const;

/**
 * Volunteers (vrijwilligers) may act in any circle, so they belong to no team: every worker
 * registers, reads and manages them. Assignments to households are made on the household
 * (POST /v1/households/:id/volunteer-assignments).
 */
@ApiTags('volunteers')
@ApiBearerAuth()
@Controller('v1/volunteers')
export class VolunteersController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly assignments: VolunteerAssignmentsQueries,
    private readonly readModels: ReadModelSync,
  ) {}

  private run(intent: VolunteerIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteVolunteerCommand(intent, ctx));
  }

  @Post()
  @Roles('worker')
  @ApiOperation({
    operationId: 'registerVolunteer',
    summary: 'Register a volunteer with skills, hours a week and, optionally, a VOG date',
  })
  @ApiCreatedResponse({ type: VolunteerRegisteredDto })
  async register(@Body() dto: RegisterVolunteerDto, @Write() ctx: WriteContext) {
    const volunteerId = dto.volunteerId ?? newId(ctx, 'volunteerId');
    const written = await this.run(
      {
        type: 'RegisterVolunteer',
        volunteerId,
        name: dto.name,
        skills: dto.skills,
        hoursPerWeek: dto.hoursPerWeek,
        vogValidUntil: dto.vogValidUntil,
      },
      ctx,
    );
    return answer(written, { volunteerId });
  }

  @Get(':id')
  @Roles('worker')
  @ApiOperation({
    operationId: 'getVolunteer',
    summary: 'A volunteer, read from their stream, with the hours a week assigned to households',
  })
  @ApiOkResponse({
    type: VolunteerDto,
    headers: ETAG_HEADER,
    description: 'the volunteer (ETag: its version)',
  })
  async get(@Param('id', ParseIdPipe) id: string) {
    const events = await this.store.readStream(volunteerStream(id));
    if (events.length === 0) throw notFoundProblem('VolunteerNotFound', `volunteer ${id} is not registered`);
    const state = events.reduce(
      (s, e) => volunteerDecider.evolve(s, e as unknown as VolunteerEvent),
      volunteerDecider.initialState(),
    );
    const name = events.find((e) => e.type === 'VolunteerRegistered')?.personal?.name;
    await this.readModels.caughtUp();
    const assigned = await this.assignments.forVolunteer(id);
    return versioned(events.length, {
      volunteerId: state.volunteerId,
      name: typeof name === 'string' ? name : null,
      skills: state.skills,
      hoursPerWeek: state.hoursPerWeek,
      vogValidUntil: state.vogValidUntil,
      active: state.active,
      assignedHoursPerWeek: assigned.assignedHoursPerWeek,
      version: events.length,
    });
  }

  @Put(':id/vog')
  @Roles('worker')
  @ApiOperation({
    operationId: 'updateVolunteerVog',
    summary: "Record the volunteer's new VOG valid-until date",
  })
  @ApiOkResponse({ type: VogUpdatedDto })
  async updateVog(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateVogDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'UpdateVolunteerVog', volunteerId: id, vogValidUntil: dto.vogValidUntil },
      ctx,
    );
    return answer(written, { volunteerId: id, vogValidUntil: dto.vogValidUntil });
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('worker')
  @ApiOperation({
    operationId: 'deactivateVolunteer',
    summary: 'Deactivate a volunteer: no new assignments (invariant 12); open ones run until ended',
  })
  @ApiOkResponse({ type: VolunteerDeactivatedDto })
  @ApiConflictResponse({ description: 'VolunteerAlreadyInactive' })
  async deactivate(@Param('id', ParseIdPipe) id: string, @Write() ctx: WriteContext) {
    const written = await this.run({ type: 'DeactivateVolunteer', volunteerId: id }, ctx);
    return answer(written, { volunteerId: id, active: false });
  }

  @Get(':id/assignments')
  @Roles('worker', 'volunteer')
  @ApiOperation({
    operationId: 'listVolunteerAssignments',
    summary:
      "The volunteer's assignments across households, with hours (read model); a volunteer reads their own (another id: 404)",
  })
  @ApiPaged(ASSIGNMENTS_PAGE.fallback, ASSIGNMENTS_PAGE.max)
  @ApiOkResponse({
    type: VolunteerAssignmentsPageDto,
    description:
      '{ volunteerId, assignments[] (only households the caller may read; paged, open first), openAssignments, ' +
      'assignedHoursPerWeek, notShown (over all of them), next }; an assignment that ends while a client pages moves ' +
      'to the ended ones',
  })
  async assignmentsOf(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VolunteerAssignmentsPageDto> {
    const { limit, after } = keysetQuery(
      query,
      ASSIGNMENTS_PAGE.fallback,
      ASSIGNMENTS_PAGE.max,
      ['int', 'instant', 'id', 'id'],
      `volunteer-assignments:${id}`,
    );
    // A volunteer reads their own assignments, all of them; another volunteer's id is as unknown to them.
    const self = principal.roles.includes('volunteer');
    if ((self && principal.sub !== id) || (await this.store.streamVersion(volunteerStream(id))) === 0) {
      throw notFoundProblem('VolunteerNotFound', `volunteer ${id} is not registered`);
    }
    await this.readModels.caughtUp();
    const found = await this.assignments.forVolunteer(
      id,
      self ? undefined : { workerId: principal.sub, teams: principal.teams },
      {
        limit: limit + 1,
        after: after && {
          rank: after[0] as number,
          assignedAt: after[1] as string,
          householdId: after[2] as string,
          assignmentId: after[3] as string,
        },
      },
    );
    const page = keysetPage(
      found.assignments,
      limit,
      (a) => [a.status === 'open' ? 0 : 1, a.assignedAt, a.householdId, a.assignmentId],
      `volunteer-assignments:${id}`,
    );
    return { ...found, assignments: page.items, next: page.next };
  }
}
