import { toContextSourceDto } from '../context/context.mapper.js';
import { toChunkFilters } from '../search/search.mapper.js';
import type { AnswerEvent, AnswerRequest } from './answer-request.js';
import type { AnswerRequestDto } from './dto/answer-request.dto.js';
import type { AnswerResponseDto } from './dto/answer-response.dto.js';

export const toAnswerRequest = (dto: AnswerRequestDto): AnswerRequest => ({
  question: dto.question,
  maxTokens: dto.max_tokens,
  mode: dto.mode,
  metric: dto.metric,
  filters: toChunkFilters(dto.filters),
});

/** An event as the stream sends it: its name and its JSON data. */
export function toEventData(event: AnswerEvent): { name: string; data: unknown } {
  switch (event.type) {
    case 'context':
      return { name: 'context', data: { sources: event.sources.map(toContextSourceDto), tokens: event.tokens, model: event.model, extractive: event.extractive } };
    case 'delta':
      return { name: 'delta', data: { text: event.text } };
    case 'citations':
      return { name: 'citations', data: { citations: event.citations.map(toContextSourceDto) } };
    case 'done':
      return { name: 'done', data: { model: event.model, extractive: event.extractive, usage: { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens } } };
    case 'error':
      return { name: 'error', data: { error: event.code, message: event.message } };
  }
}

/** The events of a whole answer, collected: the body of a JSON answer, or the error event that ended it. */
export async function collectAnswer(events: AsyncIterable<AnswerEvent>): Promise<AnswerResponseDto | Extract<AnswerEvent, { type: 'error' }>> {
  const answer: AnswerResponseDto = { answer: '', citations: [], sources: [], model: '', extractive: false, usage: { prompt_tokens: 0, completion_tokens: 0 } };
  for await (const event of events) {
    if (event.type === 'error') return event;
    if (event.type === 'context') answer.sources = event.sources.map(toContextSourceDto);
    if (event.type === 'delta') answer.answer += event.text;
    if (event.type === 'citations') answer.citations = event.citations.map(toContextSourceDto);
    if (event.type === 'done') {
      answer.model = event.model;
      answer.extractive = event.extractive;
      answer.usage = { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens };
    }
  }
  return answer;
}
