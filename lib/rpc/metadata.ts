import { Metadata } from "@grpc/grpc-js";

/** Plain, grpc-js-free view of call metadata. Binary ("-bin") values are base64 strings. */
export type RpcMetadata = Readonly<Record<string, readonly string[]>>;

export function metadataToRecord(metadata: Metadata | null | undefined): RpcMetadata {
  const out: Record<string, string[]> = {};
  if (!metadata) return out;
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    out[key] = values.map((v) => (typeof v === "string" ? v : Buffer.from(v).toString("base64")));
  }
  return out;
}

export function recordToMetadata(record: RpcMetadata | undefined, options?: { waitForReady?: boolean }): Metadata {
  const metadata = new Metadata(options?.waitForReady ? { waitForReady: true } : undefined);
  if (!record) return metadata;
  for (const [key, values] of Object.entries(record)) {
    for (const value of values) {
      if (key.endsWith("-bin")) metadata.add(key, Buffer.from(value, "base64"));
      else metadata.add(key, value);
    }
  }
  return metadata;
}
