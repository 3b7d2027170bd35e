/** Lets a reader wait for the next message a subscription pushes, or for a timeout, whichever comes first. */
export function createArrivalSignal() {
  let arrived: (() => void) | null = null;
  return {
    /** Resolves at the next `notify`, or after `ms`. */
    wait(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          arrived = null;
          resolve();
        }
        arrived = done;
      });
    },
    /** Something arrived (or failed): wakes the waiting reader, if any. */
    notify(): void {
      arrived?.();
    },
  };
}
