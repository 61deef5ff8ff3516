// Runs `fn` at most once per `ms`: the first trigger runs at once, triggers during the quiet
// period collapse into one trailing run. Used to refetch charts on frequent stats events.
import type { TimerApi } from "./feed-stream.ts";

const defaultTimers: TimerApi = {
  set: (f, ms) => setTimeout(f, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface Throttled {
  trigger: () => void;
  cancel: () => void;
}

export function throttle(fn: () => void, ms: number, timers: TimerApi = defaultTimers): Throttled {
  let timer: unknown;
  let pending = false;
  const open = (): void => {
    timer = timers.set(() => {
      timer = undefined;
      if (pending) {
        pending = false;
        fn();
        open();
      }
    }, ms);
  };
  return {
    trigger: () => {
      if (timer !== undefined) {
        pending = true;
        return;
      }
      fn();
      open();
    },
    cancel: () => {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      pending = false;
    },
  };
}
