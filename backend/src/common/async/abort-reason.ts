/** Why `signal` was aborted, as an Error (an abort reason may be any value; rejections carry Errors). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : 'aborted');
}
