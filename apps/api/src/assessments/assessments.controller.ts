import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { assessedMember, AssessmentRecorded, HouseholdEvent, zrmProgress } from '@eenplan/domain';
import type { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf, pageQuery, ApiPaged } from '../common/paging';
import { AssessmentsPageDto } from './assessments.pages.dto';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand } from '../households/household.handler';
import { HouseholdAccess } from '../common/household-access';
import { RecordAssessmentDto } from './assessments.dto';
import { AssessmentRecordedDto } from './assessments-answer.dto';

/** ZRM 2017 assessments: immutable measurements, and progress between them. */
@ApiTags('assessments')
@ApiBearerAuth()
@Controller('v1/households')
export class AssessmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdAccess,
  ) {}

  @ApiOperation({
    operationId: 'recordAssessment',
    summary: 'Record a self-sufficiency assessment (ZRM) of a household member',
  })
  @Post(':id/assessments')
  @Roles('worker')
  @ApiCreatedResponse({
    type: AssessmentRecordedDto,
    description: 'records a ZRM assessment: all 13 life domains scored 1-5; never changed afterwards',
  })
  async record(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RecordAssessmentDto,
    @Write() ctx: WriteContext,
  ) {
    const assessmentId = dto.assessmentId ?? newId(ctx, 'assessmentId');
    const written = await this.commands.execute(
      new ExecuteHouseholdCommand(
        {
          type: 'RecordAssessment',
          householdId: id,
          assessmentId,
          memberId: dto.memberId,
          assessedOn: dto.assessedOn,
          scores: { ...dto.scores },
          notes: dto.notes,
        },
        ctx,
      ),
    );
    return answer(written, { householdId: id, assessmentId });
  }

  @ApiOperation({
    operationId: 'listAssessments',
    summary: "A page of the household's assessments, with the progress per person and life domain",
  })
  @Get(':id/assessments')
  @Roles('worker')
  @ApiPaged(25, 50)
  @ApiOkResponse({
    type: AssessmentsPageDto,
    description:
      "the assessments in order, each naming the person assessed and with its progress per life domain since that person's assessment before (null for their first); per person, the progress from their first to their latest; paged: `total` and `next`",
  })
  async list(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    // 50 assessments with the longest notes (16 KB each as JSON) stay under 1 MB.
    const paging = pageQuery(query, 25, 50);
    const household = await this.households.view(id, principal);
    const events = await household.events();
    const recorded = events
      .map((e) => e as unknown as HouseholdEvent)
      .filter((e): e is AssessmentRecorded => e.type === 'AssessmentRecorded');
    // Progress compares the assessments of one person (issue 18); those of the household as a whole
    // (memberId null, recorded before assessments named a member) are a series of their own.
    const series = new Map<string | null, AssessmentRecorded[]>();
    const assessments = recorded.map((e) => {
      const memberId = assessedMember(e.data);
      const taken = series.get(memberId) ?? [];
      const previous = taken[taken.length - 1];
      taken.push(e);
      series.set(memberId, taken);
      return {
        assessmentId: e.data.assessmentId,
        memberId,
        assessedOn: e.data.assessedOn,
        assessedBy: e.data.assessedBy,
        scores: e.data.scores,
        notes: (e.personal?.notes as string | undefined) ?? null,
        progress: previous ? zrmProgress(previous.data.scores, e.data.scores) : null,
      };
    });
    const page = pageOf(assessments, (a) => a.assessmentId, paging);
    return {
      householdId: id,
      assessments: page.items,
      total: page.total,
      next: page.next,
      persons: [...series.entries()].map(([memberId, taken]) => {
        const first = taken[0]!;
        const latest = taken[taken.length - 1]!;
        return {
          memberId,
          total: taken.length,
          firstAssessedOn: first.data.assessedOn,
          latestAssessedOn: latest.data.assessedOn,
          progressSinceFirst: taken.length > 1 ? zrmProgress(first.data.scores, latest.data.scores) : null,
        };
      }),
    };
  }
}
