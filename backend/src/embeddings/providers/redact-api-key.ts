/**
 * `message` with the API key, and anything shaped like an OpenAI key, replaced: OpenAI echoes part
 * of a rejected key ("sk-ab****cd"), and neither it nor ours may reach a log or a response.
 */
export function redactApiKey(message: string, apiKey: string): string {
  return message.split(apiKey).join('[redacted]').replace(/\bsk-[A-Za-z0-9_*.-]{3,}/g, 'sk-[redacted]');
}
