// Delete a stopped proxy: archive (default) or purge everything.
import { useNavigate } from "@solidjs/router";
import { createEffect, createSignal, type JSX, on, Show } from "solid-js";
import { api } from "../../api/client.ts";
import { describeError } from "../../api/errors.ts";
import { feed } from "../../state/feed.ts";
import { toast } from "../../state/toasts.ts";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Switch } from "../../ui/field.tsx";

export function DeleteProxyDialog(props: { open: boolean; proxy: string; onClose: () => void }): JSX.Element {
  const navigate = useNavigate();
  const [purge, setPurge] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  createEffect(on(() => props.open, (o) => o && setPurge(false)));

  const run = async (): Promise<void> => {
    setBusy(true);
    feed.markLocalDelete(props.proxy);
    try {
      const res = await api.proxies.deleteProxy({ proxy: props.proxy, purge: purge() });
      toast("success", purge() ? `Proxy '${props.proxy}' purged` : `Proxy '${props.proxy}' deleted; archived as ${res.archiveName}`);
      props.onClose();
      navigate("/", { replace: true });
    } catch (e) {
      toast("error", `Failed to delete '${props.proxy}': ${describeError(e).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} title={`Delete proxy '${props.proxy}'?`} size="md">
      <Show
        when={!purge()}
        fallback={
          <div class="danger-box" role="alert">
            <p><strong>Permanently delete everything.</strong> Config, policy, audit, system and debug logs and the backend credential are destroyed. This cannot be undone.</p>
          </div>
        }
      >
        <div class="two-col two-col-tight">
          <div>
            <h4 class="sub-head">Archived</h4>
            <ul class="plain-list">
              <li>Config and policy</li>
              <li>Audit logs</li>
              <li>System logs</li>
            </ul>
          </div>
          <div>
            <h4 class="sub-head">Destroyed</h4>
            <ul class="plain-list">
              <li>Debug logs</li>
              <li>Backend credentials (API key)</li>
            </ul>
          </div>
        </div>
      </Show>
      <Switch label="Permanently delete all data (skip archive)" checked={purge()} onChange={setPurge} />
      <p class="muted small">Remember to remove the '{props.proxy}' entry from your MCP client's configuration.</p>
      <div class="dialog-actions">
        <Button onClick={props.onClose}>Cancel</Button>
        <Button variant="danger" busy={busy()} onClick={() => void run()}>
          {purge() ? "Purge permanently" : "Delete and archive"}
        </Button>
      </div>
    </Dialog>
  );
}
