// One shared 1-second clock for every countdown, so a page full of timers costs one interval.
import { createRoot, createSignal, onCleanup } from "solid-js";

const [nowMs, setNowMs] = createRoot(() => createSignal(Date.now()));
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/** Current time in ms, updated every second while any component uses it. */
export function useNow(): () => number {
  users += 1;
  if (timer === undefined) {
    setNowMs(Date.now());
    timer = setInterval(() => setNowMs(Date.now()), 1000);
  }
  onCleanup(() => {
    users -= 1;
    if (users === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  });
  return nowMs;
}
