import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { WORKER_ROLES, WorkerRole } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN } from '../common/validation';

export class RegisterTeamDto {
  @ApiPropertyOptional({ example: 't-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  teamId?: string;

  @ApiProperty({ example: 'Wijkteam Noord' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: ['noord', 'oud-noord'], type: [String] })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  districts!: string[];
}

export class AddWorkerDto {
  @ApiProperty({ example: 'w-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  workerId!: string;

  @ApiProperty({ example: 'Fatima de Vries', description: 'personal data' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: WORKER_ROLES })
  @IsIn(WORKER_ROLES)
  role!: WorkerRole;

  @ApiProperty({ example: 32, minimum: 0, maximum: 60 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60)
  hoursPerWeek!: number;
}
