// `mcp-acp proxy show NAME`: one proxy's configuration and the files that belong to it.
import { defineCommand } from "citty";
import { loadManagerConfig, loadProxyConfig, type ManagerConfig, type ProxyConfig } from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { appPaths } from "../../app-paths.ts";
import { requireProxy } from "../../proxy-lookup.ts";
import { printJson, printLine, stdoutStyle } from "../../ui/index.ts";
import { commandLine, proxyFiles, type ProxyFiles } from "./describe-proxy.ts";

function managerOrUndefined(paths: AppPaths): ManagerConfig | undefined {
  try {
    return loadManagerConfig(paths);
  } catch {
    return undefined;
  }
}

/** Label/value rows; null is a blank separator line. */
type Row = readonly [label: string, value: string] | null;

function describeRows(config: ProxyConfig, files: ProxyFiles): Row[] {
  const { backend } = config;
  const rows: Row[] = [
    ["Server name", backend.server_name],
    ["Proxy ID", config.proxy_id],
    ["Created", config.created_at],
    ["Transport", backend.transport],
  ];
  if (backend.stdio != null) {
    rows.push(["Command", commandLine(backend.stdio.command, backend.stdio.args)]);
    const attestation = backend.stdio.attestation;
    if (attestation?.expected_sha256 != null) rows.push(["Binary SHA-256", attestation.expected_sha256]);
    if (attestation?.slsa_owner != null) rows.push(["SLSA owner", attestation.slsa_owner]);
  }
  if (backend.http != null) {
    rows.push(["URL", backend.http.url], ["Timeout", `${backend.http.timeout} s`]);
    if (backend.http.credential_key != null) rows.push(["Credential", `stored in the secret store (${backend.http.credential_key})`]);
  }
  if (config.mtls != null) {
    rows.push(["mTLS cert", config.mtls.client_cert_path], ["mTLS key", config.mtls.client_key_path], ["mTLS CA", config.mtls.ca_bundle_path]);
  }
  rows.push(
    ["Approvals", `timeout ${config.hitl.timeout_seconds} s (then ${config.hitl.default_on_timeout}), cached ${config.hitl.approval_ttl_seconds} s`],
    ["Log level", `${config.log_level}${config.include_payloads ? ", payloads logged" : ", payloads not logged"}`],
    null,
    ["Config file", files.config_file],
    ["Policy file", files.policy_file],
    ["Log directory", files.log_dir ?? "(unknown: manager.json could not be read)"],
    ["Control socket", files.control_socket],
  );
  return rows;
}

export const showCommand = defineCommand({
  meta: { name: "show", description: "Show a proxy's configuration and files" },
  args: {
    name: { type: "positional", required: true, description: "Proxy name", valueHint: "name" },
    json: { type: "boolean", description: "Print JSON (the config plus _computed paths)" },
  },
  run({ args }) {
    const paths = appPaths();
    const name = requireProxy(paths, args.name);
    const config = loadProxyConfig(paths, name);
    const files = proxyFiles(paths, name, managerOrUndefined(paths));
    if (args.json === true) {
      printJson({ ...config, _computed: files });
      return;
    }
    const style = stdoutStyle();
    printLine(style.bold(`Proxy '${name}'`));
    const rows = describeRows(config, files);
    const width = Math.max(...rows.map((row) => (row === null ? 0 : row[0].length))) + 1;
    for (const row of rows) printLine(row === null ? "" : `  ${`${row[0]}:`.padEnd(width)} ${row[1]}`);
  },
});
