// The Add Proxy form as plain data: validation per field and the CreateProxy request it
// sends (only relevant, trimmed, non-default values).
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CreateProxyRequestSchema } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { BackendTransport } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";

export type TransportChoice = "stdio" | "http" | "auto";

export interface AddProxyForm {
  name: string;
  serverName: string;
  transport: TransportChoice;
  command: string;
  args: string;
  url: string;
  slsaOwner: string;
  sha256: string;
  requireSignature: boolean;
  apiKey: string;
  timeout: string;
  mtlsCert: string;
  mtlsKey: string;
  mtlsCa: string;
}

export type AddProxyField = keyof AddProxyForm;
export type AddProxyErrors = Partial<Record<AddProxyField, string>>;

export const emptyAddProxyForm: AddProxyForm = {
  name: "",
  serverName: "",
  transport: "stdio",
  command: "",
  args: "",
  url: "",
  slsaOwner: "",
  sha256: "",
  requireSignature: false,
  apiKey: "",
  timeout: "",
  mtlsCert: "",
  mtlsKey: "",
  mtlsCa: "",
};

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const RESERVED = new Set(["manager", "all", "default"]);
const SHA_RE = /^[0-9a-fA-F]{64}$/;

export function usesStdio(t: TransportChoice): boolean {
  return t === "stdio" || t === "auto";
}

export function usesHttp(t: TransportChoice): boolean {
  return t === "http" || t === "auto";
}

/** Arguments box: split on spaces and commas, empties dropped. */
export function splitArgs(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== "");
}

export function validateAddProxy(f: AddProxyForm): AddProxyErrors {
  const e: AddProxyErrors = {};
  const name = f.name.trim();
  if (name === "") e.name = "Name is required.";
  else if (name.length > 64) e.name = "At most 64 characters.";
  else if (!NAME_RE.test(name)) e.name = "Letters, digits, '-' and '_' only; start with a letter or digit.";
  else if (RESERVED.has(name.toLowerCase())) e.name = `'${name}' is reserved; choose another name.`;
  if (f.serverName.trim() === "") e.serverName = "Server name is required.";
  if (usesStdio(f.transport) && f.command.trim() === "") e.command = "Command is required for STDIO.";
  const url = f.url.trim();
  if (f.transport === "http" && url === "") e.url = "URL is required for HTTP.";
  else if (url !== "" && usesHttp(f.transport) && !/^https?:\/\//.test(url)) e.url = "Must start with http:// or https://.";
  if (usesStdio(f.transport) && f.sha256.trim() !== "" && !SHA_RE.test(f.sha256.trim())) e.sha256 = "64 hexadecimal characters.";
  if (usesHttp(f.transport) && f.timeout.trim() !== "") {
    const n = Number(f.timeout.trim());
    if (!Number.isInteger(n) || n < 1 || n > 300) e.timeout = "Whole seconds from 1 to 300.";
  }
  if (usesHttp(f.transport)) {
    const mtls = [f.mtlsCert, f.mtlsKey, f.mtlsCa].map((s) => s.trim() !== "");
    if (mtls.some(Boolean) && !mtls.every(Boolean)) {
      const msg = "Give all three mTLS paths (certificate, key, CA bundle) or none.";
      if (!mtls[0]) e.mtlsCert = msg;
      if (!mtls[1]) e.mtlsKey = msg;
      if (!mtls[2]) e.mtlsCa = msg;
    }
  }
  return e;
}

/** Whether the collapsed Advanced section holds any value (it then says "(configured)"). */
export function advancedUsed(f: AddProxyForm): boolean {
  const stdio = usesStdio(f.transport) && (f.slsaOwner.trim() !== "" || f.sha256.trim() !== "" || f.requireSignature);
  const http =
    usesHttp(f.transport) &&
    (f.apiKey !== "" || f.timeout.trim() !== "" || f.mtlsCert.trim() !== "" || f.mtlsKey.trim() !== "" || f.mtlsCa.trim() !== "");
  return stdio || http;
}

const TRANSPORT: Record<TransportChoice, BackendTransport> = {
  stdio: BackendTransport.STDIO,
  http: BackendTransport.STREAMABLE_HTTP,
  auto: BackendTransport.AUTO,
};

export function buildCreateRequest(
  f: AddProxyForm,
  skip: { health?: boolean; duplicate?: boolean } = {},
): MessageInitShape<typeof CreateProxyRequestSchema> {
  const req: MessageInitShape<typeof CreateProxyRequestSchema> = {
    name: f.name.trim(),
    serverName: f.serverName.trim(),
    transport: TRANSPORT[f.transport],
  };
  if (usesStdio(f.transport)) {
    req.command = f.command.trim();
    const args = splitArgs(f.args);
    if (args.length > 0) req.args = args;
    if (f.slsaOwner.trim() !== "" || f.sha256.trim() !== "" || f.requireSignature) {
      req.attestation = { slsaOwner: f.slsaOwner.trim(), expectedSha256: f.sha256.trim().toLowerCase(), requireSignature: f.requireSignature };
    }
  }
  if (usesHttp(f.transport)) {
    if (f.url.trim() !== "") req.url = f.url.trim();
    const timeout = Number(f.timeout.trim());
    if (f.timeout.trim() !== "" && timeout !== 30) req.timeout = timeout;
    if (f.apiKey !== "") req.apiKey = f.apiKey;
    if (f.mtlsCert.trim() !== "") {
      req.mtls = { clientCertPath: f.mtlsCert.trim(), clientKeyPath: f.mtlsKey.trim(), caBundlePath: f.mtlsCa.trim() };
    }
  }
  if (skip.health === true) req.skipHealthCheck = true;
  if (skip.duplicate === true) req.skipDuplicateCheck = true;
  return req;
}
