/**
 * Resolves once `condition` holds for the DOM under `root`, checking after every mutation (an awaited
 * event, not a timer): for work Angular does not track, such as a streamed answer read with fetch.
 */
export function domCondition(root: Element, condition: () => boolean): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!condition()) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}
