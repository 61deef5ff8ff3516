// The Audit section of a proxy's detail page: log viewer and integrity panel.
import type { JSX } from "solid-js";
import "../../../styles/pages-misc.css";
import "../../../styles/pages-audit.css";
import { IntegrityPanel } from "./integrity-panel.tsx";
import { LogViewer } from "./log-viewer.tsx";

export function AuditSection(props: { proxy: string; running: boolean }): JSX.Element {
  return (
    <div class="page-section audit-section">
      <LogViewer proxy={props.proxy} />
      <IntegrityPanel proxy={props.proxy} running={props.running} />
    </div>
  );
}
