import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as net from "node:net";
import { DualProtocolServer } from "./listeners.ts";

let server: DualProtocolServer;
let port: number;

beforeAll(async () => {
  server = new DualProtocolServer((req, res) => {
    const body = `HTTP/${req.httpVersion}`;
    res.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
    res.end(body);
  });
  await server.listen({ port: 0, host: "127.0.0.1" });
  port = server.port();
});

afterAll(async () => {
  await server.close(100, () => true);
});

/** Writes the parts one by one with a pause between them, and collects the first answer bytes. */
function exchange(parts: readonly Buffer[], enough: (answer: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      if (enough(answer)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    socket.once("connect", async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
  });
}

describe("DualProtocolServer", () => {
  test("routes an HTTP/1.1 request that arrives in pieces to the HTTP/1.1 server", async () => {
    const answer = await exchange(
      [Buffer.from("GET / HT"), Buffer.from("TP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")],
      () => false, // Connection: close ends it
    );
    expect(answer.toString()).toStartWith("HTTP/1.1 200");
    expect(answer.toString()).toEndWith("HTTP/1.1");
  });

  test("routes an HTTP/2 preface that arrives in pieces to the HTTP/2 server", async () => {
    const emptySettings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    const answer = await exchange(
      [Buffer.from("PRI * HTTP/2.0\r\n"), Buffer.concat([Buffer.from("\r\nSM\r\n\r\n"), emptySettings])],
      (a) => a.length >= 9,
    );
    // An HTTP/2 server's first frame is its SETTINGS frame (type 4).
    expect(answer[3]).toBe(4);
  });
});
