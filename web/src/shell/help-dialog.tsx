import { For, type JSX } from "solid-js";
import { helpOpen, setHelpOpen } from "../state/drawer.ts";
import { Dialog } from "../ui/dialog.tsx";

const SHORTCUTS: readonly [string, string][] = [
  ["p", "Open pending approvals"],
  ["j / k", "Next / previous pending approval"],
  ["o", "Allow the selected approval once"],
  ["a", "Allow and cache the selected approval"],
  ["d", "Deny the selected approval"],
  ["?", "Show this help"],
  ["Alt+T", "Focus notifications"],
  ["Esc", "Close dialog or drawer"],
];

export function HelpDialog(): JSX.Element {
  return (
    <Dialog open={helpOpen()} onClose={() => setHelpOpen(false)} title="Keyboard shortcuts" size="sm">
      <table class="shortcut-table">
        <tbody>
          <For each={SHORTCUTS}>
            {([keys, what]) => (
              <tr>
                <td><kbd>{keys}</kbd></td>
                <td>{what}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <p class="muted small">Shortcuts are ignored while typing in a field.</p>
    </Dialog>
  );
}
