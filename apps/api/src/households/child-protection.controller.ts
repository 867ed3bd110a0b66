import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from './household.handler';
import { ReasonDto } from './households.dto';
import { ChildProtectionMeasureWrittenDto, RecordChildProtectionMeasureDto } from './child-protection.dto';

/**
 * Compulsory frameworks (issue 19, docs/SPECIALISTS.md): a child protection measure on the
 * household. While it runs, regie lies with a jeugdbeschermer of its certified institution.
 */
@ApiTags('households')
@ApiBearerAuth()
@Controller('v1/households')
export class ChildProtectionController {
  constructor(private readonly commands: CommandBus) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'recordChildProtectionMeasure',
    summary:
      'Record a child protection measure (OTS): court order, period, minors, certified institution and its jeugdbeschermer; while it runs regie lies with them (a transfer to them is requested in the same write)',
  })
  @Post(':id/child-protection-measures')
  @Roles('worker', 'professional')
  @ApiCreatedResponse({ type: ChildProtectionMeasureWrittenDto })
  async record(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RecordChildProtectionMeasureDto,
    @Write() ctx: WriteContext,
  ) {
    const measureId = dto.measureId ?? newId(ctx, 'measureId');
    const transferId = newId(ctx, 'transferId');
    const written = await this.run(
      {
        type: 'RecordChildProtectionMeasure',
        householdId: id,
        measureId,
        kind: dto.kind,
        courtOrderReference: dto.courtOrderReference,
        from: dto.from,
        until: dto.until,
        organisationId: dto.organisationId,
        minors: dto.minors,
        jeugdbeschermerId: dto.jeugdbeschermerId,
        transferId,
      },
      ctx,
    );
    // The transfer of regie to the jeugdbeschermer this append requested, if it did (docs/SPECIALISTS.md).
    const requested = written.events.find(
      (e) => e.type === 'RegieTransferRequested' && e.data.transferId === transferId,
    );
    return answer(written, {
      householdId: id,
      measureId,
      status: 'recorded',
      transferId: requested ? transferId : null,
    });
  }

  @ApiOperation({
    operationId: 'endChildProtectionMeasure',
    summary: 'End a child protection measure, with a reason',
  })
  @Post(':id/child-protection-measures/:measureId/end')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: ChildProtectionMeasureWrittenDto })
  async end(
    @Param('id', ParseIdPipe) id: string,
    @Param('measureId', ParseIdPipe) measureId: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'EndChildProtectionMeasure', householdId: id, measureId, reason: dto.reason },
      ctx,
    );
    return answer(written, { householdId: id, measureId, status: 'ended' });
  }
}
