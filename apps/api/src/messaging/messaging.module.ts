import { Module } from '@nestjs/common';
import { AsyncApiController } from './asyncapi.controller';

/** The event contract: the AsyncAPI document of the published events. */
@Module({ controllers: [AsyncApiController] })
export class MessagingModule {}
