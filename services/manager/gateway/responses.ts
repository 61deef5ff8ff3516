import type { ConnectError } from "@connectrpc/connect";
import { errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import type { NodeRequest, NodeResponse } from "./node-types.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A small self-contained page (no script, no external resources: the CSP allows neither). */
export function htmlPage(title: string, paragraphs: readonly string[]): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;background:#111;color:#ddd;max-width:40em;margin:4em auto;padding:0 1em}` +
    `code{background:#222;padding:.1em .3em}</style></head>\n<body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`
  );
}

export function sendHtml(res: NodeResponse, status: number, title: string, paragraphs: readonly string[]): void {
  const body = Buffer.from(htmlPage(title, paragraphs));
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": body.byteLength });
  res.end(body);
}

/** True for the content types of the Connect, gRPC and gRPC-web protocols. */
export function isRpcContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  return /^application\/(json|proto|connect\+[a-z]+|grpc(-web(-text)?)?(\+[a-z]+)?)\s*(;|$)/i.test(contentType.trim());
}

/** True for gRPC and gRPC-web, whose errors travel in grpc-status rather than the HTTP status. */
export function isGrpcContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/grpc(-web(-text)?)?(\+[a-z]+)?\s*(;|$)/i.test(contentType.trim());
}

/**
 * Refuses a request before it reaches connect-node. RPC clients get a Connect error body (a
 * Connect client reads the code and ErrorDetail from it; a gRPC client maps the HTTP status);
 * anything else, a browser for example, gets a short HTML page.
 */
export function sendRejection(req: NodeRequest, res: NodeResponse, status: number, error: ConnectError): void {
  if (isRpcContentType(req.headers["content-type"])) {
    const body = errorToJsonBytes(error, undefined);
    res.writeHead(status, { "content-type": "application/json", "content-length": body.byteLength });
    res.end(body);
    return;
  }
  sendHtml(res, status, statusTitle(status), [error.rawMessage]);
}

function statusTitle(status: number): string {
  switch (status) {
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 413:
      return "Request too large";
    default:
      return `Error ${status}`;
  }
}
