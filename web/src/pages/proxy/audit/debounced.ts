// A signal that follows another after a quiet period, for text filters (the original queried on
// every keystroke).
import { type Accessor, createEffect, createSignal, on, onCleanup } from "solid-js";

export function debounced<T>(source: Accessor<T>, ms: number): Accessor<T> {
  const [value, setValue] = createSignal<T>(source());
  createEffect(
    on(source, (next) => {
      const timer = setTimeout(() => setValue(() => next), ms);
      onCleanup(() => clearTimeout(timer));
    }, { defer: true }),
  );
  return value;
}
