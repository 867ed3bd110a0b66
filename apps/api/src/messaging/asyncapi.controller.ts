import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  buildAsyncApi,
  loadEventSchemas,
  loadOutcomeSchemas,
  messageSchema,
  outcomeMessageSchema,
} from '@eenplan/messaging';
import { Public } from '../common/auth';
import { notFoundProblem } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '@eenplan/runtime';

/** The Kafka contract for integrators, public like the OpenAPI document. */
@ApiTags('events')
@Controller()
export class AsyncApiController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get mapping() {
    return { oin: this.config.messaging.oin, typePrefix: this.config.messaging.typePrefix };
  }

  @Get('asyncapi.json')
  @Public()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    operationId: 'getAsyncApi',
    summary: 'The AsyncAPI 3.0 document of the Kafka topics, with this deployment’s topic names',
  })
  @ApiOkResponse({
    description: 'AsyncAPI 3.0 (JSON)',
    schema: { type: 'object', additionalProperties: true },
  })
  document() {
    return buildAsyncApi({
      ...this.mapping,
      topics: this.config.messaging.topics,
      brokers: this.config.kafkaBrokers,
      contentMode: this.config.messaging.contentMode,
      // How clients connect, never with what: no credential goes into the document.
      security: {
        tls: this.config.kafkaSecurity?.ssl !== undefined,
        saslMechanism: this.config.kafkaSecurity?.sasl?.mechanism,
      },
    });
  }

  @Get('asyncapi/schemas/:name')
  @Public()
  @ApiOperation({
    operationId: 'getEventSchema',
    summary: 'JSON Schema (draft-07) of one message: the CloudEvent envelope and its data',
    description:
      'Name: the CloudEvent type after the prefix, with .json, e.g. regie-transfer-accepted.v1.json',
  })
  @ApiOkResponse({ description: 'JSON Schema', schema: { type: 'object', additionalProperties: true } })
  @ApiNotFoundResponse({ description: 'UnknownEventSchema: no event has a schema of that name' })
  schema(@Param('name') name: string) {
    const wanted = name.replace(/\.json$/, '');
    const schema = loadEventSchemas().find((s) => s.name === wanted);
    if (schema) return messageSchema(schema, this.mapping);
    // The outcomes topic's own messages (no household in their envelope).
    const outcome = loadOutcomeSchemas().find((s) => s.name === wanted);
    if (outcome) return outcomeMessageSchema(outcome, this.mapping);
    const known = [...loadEventSchemas(), ...loadOutcomeSchemas()].map((s) => `${s.name}.json`);
    throw notFoundProblem('UnknownEventSchema', `no schema named ${name}; known: ${known.join(', ')}`);
  }
}
