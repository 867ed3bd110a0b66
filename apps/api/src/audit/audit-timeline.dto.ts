import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RegieIntervalHolderDto, WorkerNameDto } from '../regie/regie.pages.dto';

export class PendingTransferPeriodDto {
  @ApiProperty() transferId!: string;
  @ApiProperty({ format: 'date-time', description: 'when it was requested' }) from!: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'when it was accepted, declined or cancelled; null: pending now',
  })
  to!: string | null;
  @ApiProperty({ type: RegieIntervalHolderDto, description: 'who held regie when it was requested' })
  fromHolder!: RegieIntervalHolderDto;
  @ApiProperty({ description: 'the worker (or professional) it would pass to' }) toWorker!: string;
  @ApiProperty({ required: false, description: "a professional receiver's organisation (issue 19)" })
  toOrganisationId?: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ enum: ['handover', 'reverse', 'on-behalf'] }) variant!: string;
  @ApiProperty({ enum: ['accepted', 'declined', 'cancelled', 'pending'] }) outcome!: string;
  @ApiPropertyOptional({ description: 'who accepted, declined or cancelled it' }) settledBy?: string;
  @ApiPropertyOptional({ description: 'read from the events: absent after an erasure' }) reason?: string;
}

export class LifecycleMarkDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() by!: string;
}

export class AuditHouseholdTimelineDto {
  @ApiProperty() householdId!: string;
  @ApiProperty({ type: [PendingTransferPeriodDto], description: 'every transfer request, in the order made' })
  pendingTransfers!: PendingTransferPeriodDto[];
  @ApiProperty({ type: [LifecycleMarkDto], description: 'the plan closed (PlanClosed), in order' })
  closures!: LifecycleMarkDto[];
  @ApiProperty({ type: [LifecycleMarkDto], description: 'the plan reopened (PlanReopened), in order' })
  reopenings!: LifecycleMarkDto[];
  @ApiProperty({
    type: [WorkerNameDto],
    description:
      "names of the workers named here and in the household's regie history; a worker whose name is erased or unknown is left out",
  })
  workers!: WorkerNameDto[];
}
