import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { AppConfigService } from '../config/app-config.service.js';
import { ContextModule } from '../context/context.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { AnswerController } from './answer.controller.js';
import { AnswerService } from './answer.service.js';
import { CHAT_MODEL, type ChatModel } from './chat-model.js';
import { OpenAiChatModel } from './openai-chat-model.js';

/** POST /routes/knowledge/{tenant}/answer: written by the configured chat model, or extractive without one. */
@Module({
  imports: [AuthModule, ContextModule, UsageModule],
  controllers: [AnswerController],
  providers: [
    AnswerService,
    {
      provide: CHAT_MODEL,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService): ChatModel | null => {
        const answers = config.get('answers');
        const { openAiApiKey, openAiBaseUrl } = config.get('embeddings');
        if (!answers.chatModel || !openAiApiKey) return null;
        return new OpenAiChatModel({
          apiKey: openAiApiKey,
          ...(openAiBaseUrl ? { baseURL: openAiBaseUrl } : {}),
          model: answers.chatModel,
          timeoutMs: answers.timeoutMs,
          idleTimeoutMs: answers.idleTimeoutMs,
          maxRetries: answers.maxRetries,
        });
      },
    },
  ],
})
export class AnswersModule {}
