import { createSignal, onCleanup, onMount } from "solid-js";

/** Tracks an element's content width so SVG charts draw at real pixels (crisp text at any width). */
export function useWidth(el: () => HTMLElement | undefined, fallback = 640): () => number {
  const [width, setWidth] = createSignal(fallback);
  onMount(() => {
    const target = el();
    if (target === undefined) return;
    setWidth(Math.max(240, Math.floor(target.clientWidth)));
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined && w > 0) setWidth(Math.max(240, Math.floor(w)));
    });
    ro.observe(target);
    onCleanup(() => ro.disconnect());
  });
  return width;
}
