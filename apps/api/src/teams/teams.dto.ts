import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
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

/** How residents reach the worker who holds their regie (issue 20); personal data, like the name. */
export class WorkerContactDto {
  @ApiPropertyOptional({ example: '+31 20 555 0101', description: 'digits, spaces, +, -, ( and ): 6 to 20' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 ()-]{5,19}$/, { message: 'phone: 6 to 20 digits, spaces, +, -, ( and )' })
  phone?: string;

  @ApiPropertyOptional({ example: 'f.devries@wijkteam.example' })
  @IsOptional()
  @IsEmail({}, { message: 'email: an e-mail address' })
  @Length(3, 254)
  email?: string;
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

  @ApiPropertyOptional({
    type: WorkerContactDto,
    description:
      'personal data: shown only to the residents of households whose regie the worker holds (GET /v1/households/:id/my-plan)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkerContactDto)
  contact?: WorkerContactDto;
}
