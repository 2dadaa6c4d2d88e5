/** A promise the test opens when it wants: lets a handler block mid-flight deterministically. */
export function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  let entered: () => void = () => {};
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return {
    /** Called by the blocked code: marks it reached, then waits to be opened. */
    async pass(): Promise<void> {
      entered();
      await opened;
    },
    reached,
    open,
  };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
