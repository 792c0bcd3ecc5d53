import { Body, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { TenantContext } from '../auth/auth-identity.js';
import { TenantController } from '../auth/tenant-controller.decorator.js';
import { CurrentTenant } from '../auth/current-tenant.decorator.js';
import { AppError } from '../common/errors/app-error.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { collectAnswer, toAnswerRequest, toEventData } from './answer.mapper.js';
import { AnswerService } from './answer.service.js';
import { AnswerRequestDto } from './dto/answer-request.dto.js';
import { AnswerResponseDto } from './dto/answer-response.dto.js';

const EXAMPLE = { question: 'How many days of annual leave do new employees get?', max_tokens: 2000, filters: { type: ['Policy'] } };

const STREAM_DESCRIPTION = [
  'Answers from the tenant\'s knowledge. The context is built as POST .../context builds it; a configured chat model (`OPENAI_CHAT_MODEL`) writes the answer from it',
  'citing sources as `[n]`, or, with none, the answer is extractive: the sources\' own sentences that best match the question, each cited (`extractive: true`).',
  'Text in documents is quoted to the model as data, never as instructions. When the sources do not hold an answer, the answer says so.',
  '',
  'By default the response is a stream of server-sent events (`text/event-stream`), in this order:',
  '`context` `{sources, tokens, model, extractive}`; `delta` `{text}` as the answer is written (any number);',
  '`citations` `{citations}` (the sources the answer cites, in order of first citation); `done` `{model, extractive, usage: {prompt_tokens, completion_tokens}}`.',
  'If the model fails (after retries on 429 and 5xx) or stops answering, the stream ends with `error` `{error, message}` instead of `citations` and `done`.',
  'A client that disconnects cancels the model request. Errors found before the answer starts (400, 409, 503) are ordinary JSON error responses.',
  'With `Accept: application/json` (and not `text/event-stream`) the whole answer comes as one JSON object; a model failure is then a 503.',
].join('\n');

@TenantController('answers')
@ApiExtraModels(AnswerResponseDto)
export class AnswerController {
  private readonly logger = new Logger('AnswerController');

  constructor(private readonly answers: AnswerService) {}

  @Post('answer')
  @ApiOperation({ summary: 'Answer a question from the tenant\'s knowledge, with citations (server-sent events, or JSON)', description: STREAM_DESCRIPTION })
  @ApiBody({ type: AnswerRequestDto, examples: { question: { summary: 'A question', value: EXAMPLE } } })
  @ApiProduces('text/event-stream', 'application/json')
  @ApiOkResponse({
    description: 'An event stream (see above), or with `Accept: application/json` the whole answer',
    content: {
      'text/event-stream': { schema: { type: 'string', example: 'event: context\ndata: {"sources":[...],"tokens":412,"model":"gpt-4o-mini","extractive":false}\n\nevent: delta\ndata: {"text":"New employees get"}\n\n' } },
      'application/json': { schema: { $ref: getSchemaPath(AnswerResponseDto) } },
    },
  })
  @ApiErrorResponses(400, 401, 403, 409, 503)
  async answer(@CurrentTenant() tenant: TenantContext, @Body() body: AnswerRequestDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const abort = new AbortController();
    // the client went away before the answer was complete: stop the model
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort(new Error('the client disconnected'));
    });
    const events = await this.answers.start(tenant.id, toAnswerRequest(body), abort.signal);
    const accept = request.headers.accept ?? '';
    if (accept.includes('application/json') && !accept.includes('text/event-stream')) {
      const answer = await collectAnswer(events);
      if ('type' in answer) throw new AppError('service_unavailable', answer.message, { model_error: answer.code });
      await reply.status(200).send(answer satisfies AnswerResponseDto);
      return;
    }
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      // tenant data: never stored (not just revalidated)
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (name: string, data: unknown): void => {
      reply.raw.write(`event: ${name}\ndata: ${JSON.stringify(name === 'error' ? { ...(data as object), request_id: request.id } : data)}\n\n`);
    };
    try {
      for await (const event of events) {
        if (abort.signal.aborted) break;
        const { name, data } = toEventData(event);
        send(name, data);
      }
    } catch (err) {
      // the response has started: the error filter can no longer answer, so the stream says it
      this.logger.error({ err }, 'answer failed while streaming');
      if (!abort.signal.aborted) send('error', { error: 'internal_error', message: 'The answer failed; see the server log for this request id' });
    } finally {
      reply.raw.end();
    }
  }
}

