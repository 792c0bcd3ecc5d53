/**
 * A stand-in for the extraction worker, for testing the pool's time limit without depending on
 * how fast a real parse runs: the text "stuck" never returns from synchronous code (a parser
 * caught in a loop); any other text comes back as the document's text.
 */
export default function stuckWorker(task) {
  task.started.postMessage(null);
  task.started.close();
  const text = new TextDecoder().decode(task.bytes);
  if (text === 'stuck') {
    for (;;) {
      // spins until the pool terminates this thread
    }
  }
  return { ok: true, document: { text } };
}
