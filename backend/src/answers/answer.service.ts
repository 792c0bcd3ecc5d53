import { Inject, Injectable, Logger } from '@nestjs/common';

import { countTokens } from '../chunking/tokenizer.js';
import type { AnswersConfig } from '../config/app-config.js';
import { AppConfigService } from '../config/app-config.service.js';
import { ContextService } from '../context/context.service.js';
import type { ContextOutcome } from '../context/context-request.js';
import { UsageService } from '../usage/usage.service.js';
import { type AnswerEvent, type AnswerRequest, EXTRACTIVE_MODEL } from './answer-request.js';
import { answerMessages } from './answer-prompt.js';
import { CHAT_MODEL, ChatModelError, type ChatModel } from './chat-model.js';
import { citedNumbers } from './citations.js';
import { extractiveAnswer, NO_ANSWER } from './extractive-answer.js';

interface Written {
  text: string;
  promptTokens: number;
  completionTokens: number;
}

/**
 * Answers a question from the tenant's knowledge: builds the context (as POST .../context does),
 * then has the configured chat model write an answer citing it, or, with none configured, picks
 * the sources' best-matching sentences (an extractive answer). Every answer records its model and
 * tokens as the tenant's usage, also when the client left or the model failed half-way.
 */
@Injectable()
export class AnswerService {
  private readonly logger = new Logger('AnswerService');
  private readonly settings: AnswersConfig;

  constructor(
    private readonly contexts: ContextService,
    private readonly usage: UsageService,
    @Inject(CHAT_MODEL) private readonly chat: ChatModel | null,
    config: AppConfigService,
  ) {
    this.settings = config.get('answers');
  }

  /** Builds the context (errors such as a 409 or 503 are thrown here, before anything streams), then returns the answer's events. */
  async start(tenantId: string, request: AnswerRequest, signal: AbortSignal): Promise<AsyncGenerator<AnswerEvent>> {
    const context = await this.contexts.build(tenantId, { ...request, query: request.question });
    return this.events(tenantId, request.question, context, signal);
  }

  private async *events(tenantId: string, question: string, { context, sources, tokens }: ContextOutcome, signal: AbortSignal): AsyncGenerator<AnswerEvent> {
    const extractive = this.chat === null;
    const model = this.chat?.model ?? EXTRACTIVE_MODEL;
    yield { type: 'context', sources, tokens, model, extractive };
    const written: Written = { text: '', promptTokens: 0, completionTokens: 0 };
    try {
      if (sources.length === 0 || this.chat === null) {
        // nothing to ask a model about, or no model: no tokens spent
        written.text = sources.length === 0 ? NO_ANSWER : extractiveAnswer(question, sources);
        yield { type: 'delta', text: written.text };
      } else {
        const failure = yield* this.write(this.chat, context, question, signal, written);
        if (failure) {
          yield failure;
          return;
        }
      }
      if (signal.aborted) return;
      // sources are numbered from 1 in order: source n is sources[n - 1]
      const citations = citedNumbers(written.text, sources.length).flatMap((n) => sources.slice(n - 1, n));
      yield { type: 'citations', citations };
      yield { type: 'done', model, extractive, promptTokens: written.promptTokens, completionTokens: written.completionTokens };
    } finally {
      await this.usage
        .record(tenantId, { kind: 'answer', model, promptTokens: written.promptTokens, completionTokens: written.completionTokens })
        .catch((err: unknown) => this.logger.error({ err }, 'recording usage failed'));
    }
  }

  /** Streams the model's answer into `written`; returns an error event when the model failed (not when the client left). */
  private async *write(chat: ChatModel, context: string, question: string, signal: AbortSignal, written: Written): AsyncGenerator<AnswerEvent, AnswerEvent | null> {
    const messages = answerMessages(context, question);
    let reported = false;
    try {
      for await (const part of chat.stream(messages, { signal, maxTokens: this.settings.maxAnswerTokens })) {
        if ('text' in part) {
          written.text += part.text;
          yield { type: 'delta', text: part.text };
        } else {
          written.promptTokens = part.usage.promptTokens;
          written.completionTokens = part.usage.completionTokens;
          reported = true;
        }
      }
      return null;
    } catch (error) {
      if (signal.aborted) return null;
      if (error instanceof ChatModelError) return { type: 'error', code: error.code, message: error.message };
      throw error;
    } finally {
      if (!reported) {
        // the server did not say (it failed, or the client left first): count what was sent and received
        written.promptTokens = messages.reduce((sum, m) => sum + countTokens(m.content), 0);
        written.completionTokens = countTokens(written.text);
      }
    }
  }
}
