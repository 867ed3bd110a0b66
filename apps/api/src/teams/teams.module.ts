import { Module } from '@nestjs/common';
import { TeamCommandHandler } from './team.handler';
import { TeamsController } from './teams.controller';

/** Teams and their workers. */
@Module({ controllers: [TeamsController], providers: [TeamCommandHandler] })
export class TeamsModule {}
