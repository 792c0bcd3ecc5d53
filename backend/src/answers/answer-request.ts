import type { ContextRequest } from '../context/context-request.js';
import type { ContextSource } from '../context/pack-context.js';

/** One question, validated: the context it is answered from is built as POST .../context builds it. */
export interface AnswerRequest extends Omit<ContextRequest, 'query'> {
  question: string;
}

/** What an answer streams, in this order: its context, its text in parts, the sources it cites, and the end (or an error). */
export type AnswerEvent =
  | { type: 'context'; sources: ContextSource[]; tokens: number; model: string; extractive: boolean }
  | { type: 'delta'; text: string }
  | { type: 'citations'; citations: ContextSource[] }
  | { type: 'done'; model: string; extractive: boolean; promptTokens: number; completionTokens: number }
  | { type: 'error'; code: string; message: string };

/** The model name recorded and reported for an answer made without a language model. */
export const EXTRACTIVE_MODEL = 'extractive';
