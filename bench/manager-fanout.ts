#!/usr/bin/env bun
// Event fan-out of the real manager process (`mcp-acp manager start --foreground`): this process
// publishes new_log_entries events through the proxy's own link client (startManagerLink over
// manager.sock) and reads them back on EventService.Subscribe streams over the TCP port, the
// dashboard's way (Connect JSON over HTTP/1.1 with the token cookie from a login-code exchange).
// Latency = receive time − publish() time, both from this process's performance.now(); the
// event's count field carries its index, so each subscriber checks it got every event, in order.
// Phases: (1) baseline: one subscriber at a low rate (the same path without fan-out or load);
// (2) fan-out: 10 subscribers at RATE/s; (3) the load case of issue #6: RATE/s for LOAD_SECONDS
// to 9 readers and one subscriber frozen with SIGSTOP (a child process): the manager must cut
// that one off with RESOURCE_EXHAUSTED while the 9 keep up and lose nothing. When the frozen
// one's socket buffers still absorb the events at the end of LOAD_SECONDS, the load goes on (at
// most EXTEND_SECONDS) until the manager cuts it off, and the JSON says so.
// Prints one JSON line on stdout; progress on stderr.
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { toJsonString } from "@bufbuild/protobuf";
import { EventSchema, EventService, type SubscribeResponse } from "../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ManagerService } from "../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ErrorDetailSchema } from "../lib/gen/mcpacp/common/v1/error_pb.ts";
import { EventType } from "../lib/gen/mcpacp/common/v1/event_pb.ts";
import { Severity } from "../lib/gen/mcpacp/common/v1/severity_pb.ts";
import { HUB_DEFAULTS } from "../services/manager/events/index.ts";
import { createMemoryLogger } from "../services/proxy/relay/log.ts";
import { startManagerLink, type ManagerLinkHandle } from "../services/proxy/link/index.ts";
import { registration } from "../test/manager/helpers/fake-proxy.ts";
import { until } from "../test/manager-e2e/support.ts";
import { ManagerProcess, ProxyHome, tcpConnectClient, withTimeout } from "./_manager-support.ts";
import { CLI, logger, percentiles, round } from "./_proxy-support.ts";

const RATE = Number(process.env.MANAGER_FANOUT_RATE ?? 500);
const SUBSCRIBERS = Number(process.env.MANAGER_FANOUT_SUBSCRIBERS ?? 10);
const FANOUT_SECONDS = Number(process.env.MANAGER_FANOUT_SECONDS ?? 10);
const LOAD_SECONDS = Number(process.env.MANAGER_FANOUT_LOAD_SECONDS ?? 30);
const BASELINE_RATE = Number(process.env.MANAGER_FANOUT_BASELINE_RATE ?? 50);
const BASELINE_SECONDS = Number(process.env.MANAGER_FANOUT_BASELINE_SECONDS ?? 5);
/** Events published (and discarded) before each phase so JIT and connections are warm. */
const WARMUP_EVENTS = 200;
const HUB_QUEUE_CAP = HUB_DEFAULTS.queueCap;
/** How much longer the load case may go on when the frozen subscriber is not cut off yet. */
const EXTEND_SECONDS = Number(process.env.MANAGER_FANOUT_EXTEND_SECONDS ?? 60);
const PUBLISHER = "fanout-bench";
const benchLog = logger("manager-fanout");
const benchStart = performance.now();
const log = (message: string): void => benchLog(`[${((performance.now() - benchStart) / 1000).toFixed(1)} s] ${message}`);

/** publish() time of event n (index carried in new_log_entries.count). */
const emittedAt: number[] = [];

type Ending = { kind: "open" } | { kind: "ended" } | { kind: "error"; code: string; detail: string | undefined; message: string };

/** One EventService.Subscribe stream over the TCP port. */
class Subscriber {
  readonly latencies: number[] = [];
  received = 0;
  /** First bench event index seen; every later one must be the previous + 1. */
  firstIndex = -1;
  lastIndex = -1;
  gaps = 0;
  seqOutOfOrder = 0;
  ending: Ending = { kind: "open" };
  wireBytesPerEvent = 0;
  lastMessageAt = performance.now();
  readonly done: Promise<void>;
  private lastSeq = 0n;
  private isReady = false;
  private readonly abort = new AbortController();

  constructor(baseUrl: string, cookie: string, private readonly onReady: () => void = () => {}) {
    const stream = tcpConnectClient(EventService, baseUrl, cookie).subscribe({}, { signal: this.abort.signal });
    this.done = this.read(stream);
  }

  get ready(): boolean {
    return this.isReady;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(stream: AsyncIterable<SubscribeResponse>): Promise<void> {
    try {
      for await (const { event } of stream) {
        const now = performance.now();
        this.lastMessageAt = now;
        if (event === undefined) continue;
        if (event.type === EventType.READY) {
          this.isReady = true;
          this.lastSeq = event.seq;
          this.onReady();
          continue;
        }
        // The opening events share the head seq; live events must follow it strictly increasing.
        if (this.isReady) {
          if (event.seq <= this.lastSeq) this.seqOutOfOrder++;
          this.lastSeq = event.seq;
        }
        if (event.type !== EventType.NEW_LOG_ENTRIES || event.proxyName !== PUBLISHER || event.payload.case !== "newLogEntries") continue;
        const index = event.payload.value.count;
        // Connect envelope (5 bytes) + the JSON message: what each event costs on the wire.
        if (this.wireBytesPerEvent === 0) this.wireBytesPerEvent = 5 + Buffer.byteLength(toJsonString(EventSchema, event));
        const sentAt = emittedAt[index];
        if (sentAt !== undefined) this.latencies.push(now - sentAt);
        if (this.firstIndex < 0) this.firstIndex = index;
        else if (index !== this.lastIndex + 1) this.gaps++;
        this.lastIndex = index;
        this.received++;
      }
      this.ending = { kind: "ended" };
    } catch (error) {
      const e = ConnectError.from(error);
      this.ending = { kind: "error", code: Code[e.code], detail: e.findDetails(ErrorDetailSchema)[0]?.code, message: e.rawMessage };
    }
  }
}

function startPublisher(home: ProxyHome): ManagerLinkHandle {
  return startManagerLink({
    paths: home.paths,
    register: registration(PUBLISHER),
    snapshot: () => ({ clientId: "manager-fanout-bench", policyVersion: "v1" }),
    onUiStatus: () => {},
    logger: createMemoryLogger(),
    headless: false,
    cliEntry: CLI,
    autoStart: false,
    timing: { backoffInitialMs: 50, backoffMaxMs: 200 },
  });
}

/** Publishes `rate` events a second for `seconds`, paced against the clock; returns the index range. */
async function publish(link: ManagerLinkHandle, rate: number, seconds: number, stop: () => boolean = () => false): Promise<{ first: number; last: number }> {
  const first = emittedAt.length;
  const total = Math.round(rate * seconds);
  const start = performance.now();
  let sent = 0;
  while (sent < total && !stop()) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (sent < due) {
      const index = emittedAt.length;
      emittedAt.push(performance.now());
      link.publish({
        type: EventType.NEW_LOG_ENTRIES,
        severity: Severity.INFO,
        ts: timestampNow(),
        message: `bench event ${index}`,
        payload: { case: "newLogEntries", value: { count: index } },
      });
      sent++;
    }
    await Bun.sleep(1);
  }
  return { first, last: emittedAt.length - 1 };
}

/** Waits until the readers got the last event (or 10 s pass: losses are reported, not hidden). */
async function drained(readers: readonly Subscriber[], last: number): Promise<void> {
  await until(() => readers.every((s) => s.lastIndex >= last || s.ending.kind !== "open"), "subscribers to receive the last event", 10_000).catch(() => {
    log(`not every subscriber received event ${last} within 10 s`);
  });
}

async function openSubscribers(baseUrl: string, cookie: string, count: number): Promise<Subscriber[]> {
  const subs = Array.from({ length: count }, () => new Subscriber(baseUrl, cookie));
  await until(() => subs.every((s) => s.ready), `${count} subscribers to get their opening events`, 15_000);
  return subs;
}

async function closeAll(subs: readonly Subscriber[]): Promise<void> {
  for (const s of subs) s.close();
  await Promise.all(subs.map((s) => s.done));
}

function summary(readers: readonly Subscriber[], range: { first: number; last: number }) {
  const expected = range.last - range.first + 1;
  const latencies = readers.flatMap((s) => s.latencies);
  const p = percentiles(latencies);
  return {
    events_sent: expected,
    p50_ms: p.p50_ms,
    p95_ms: p.p95_ms,
    p99_ms: p.p99_ms,
    max_ms: round(Math.max(...latencies)),
    received_per_subscriber: readers.map((s) => s.received),
    all_received_in_order: readers.every(
      (s) => s.received === expected && s.firstIndex === range.first && s.lastIndex === range.last && s.gaps === 0 && s.seqOutOfOrder === 0,
    ),
  };
}

/** One measured phase: warm-up events (not counted), then `rate`/s for `seconds`. */
async function phase(link: ManagerLinkHandle, readers: readonly Subscriber[], rate: number, seconds: number) {
  const warmRate = Math.max(rate, 200);
  const warm = await publish(link, warmRate, WARMUP_EVENTS / warmRate);
  await drained(readers, warm.last);
  for (const s of readers) {
    s.latencies.length = 0;
    s.received = 0;
    s.firstIndex = -1;
    s.gaps = 0;
  }
  const range = await publish(link, rate, seconds);
  await drained(readers, range.last);
  return range;
}

// ---------------------------------------------------------------------------------------------
// The slow subscriber: the same Connect client in a child process that the bench freezes with
// SIGSTOP once its opening events arrived, as a suspended laptop or a frozen tab would. Only a
// reader that truly stops reading lets TCP backpressure reach the manager; one that stops
// consuming in-process does not (Bun's HTTP client keeps reading the socket into memory).

interface SlowReport {
  received: number;
  gaps: number;
  ending: Ending;
}

const SLOW_FLAG = "--slow-subscriber";
const DRAIN_QUIET_MS = 2000;

/**
 * Child mode: cookie on the first stdin line; "drain" on a later one (sent after the thaw) ends the
 * stream once nothing arrived for DRAIN_QUIET_MS. Reports on stdout when the stream is over.
 */
async function runSlowSubscriberChild(baseUrl: string): Promise<void> {
  const lines = console[Symbol.asyncIterator]();
  const cookie = (await lines.next()).value as string;
  const sub = new Subscriber(baseUrl, cookie, () => process.stdout.write("ready\n"));
  void (async () => {
    for (;;) {
      const line = await lines.next();
      if (line.done === true || line.value === "drain") break;
    }
    sub.lastMessageAt = performance.now();
    const quiet = setInterval(() => {
      if (performance.now() - sub.lastMessageAt > DRAIN_QUIET_MS) sub.close();
    }, 100);
    await sub.done;
    clearInterval(quiet);
  })();
  await sub.done;
  const report: SlowReport = { received: sub.received, gaps: sub.gaps, ending: sub.ending };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

class SlowSubscriber {
  private readonly proc: Bun.Subprocess<"pipe", "pipe", "inherit">;
  private readonly lines: AsyncIterator<string>;

  constructor(baseUrl: string, cookie: string) {
    this.proc = Bun.spawn([process.execPath, import.meta.path, SLOW_FLAG, baseUrl], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
    this.proc.stdin.write(`${cookie}\n`);
    void this.proc.stdin.flush();
    this.lines = readLines(this.proc.stdout);
  }

  async ready(): Promise<void> {
    const first = await withTimeout(this.lines.next(), 15_000);
    if (first === null || first.done === true || first.value !== "ready") throw new Error("the slow subscriber did not get its opening events");
  }

  freeze(): void {
    this.proc.kill("SIGSTOP");
  }

  /** Thaws it and lets it read what its connection holds until the stream ends or goes quiet. */
  async thawAndReport(): Promise<SlowReport> {
    this.proc.kill("SIGCONT");
    this.proc.stdin.write("drain\n");
    void this.proc.stdin.flush();
    const line = await withTimeout(this.lines.next(), 60_000);
    if (line === null || line.done === true) throw new Error("the slow subscriber did not report");
    return JSON.parse(line.value) as SlowReport;
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill("SIGCONT");
    this.proc.kill("SIGKILL");
    await this.proc.exited;
  }
}

async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      yield buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function runBench(): Promise<void> {
  const home = await ProxyHome.create();
  let manager: ManagerProcess | undefined;
  let link: ManagerLinkHandle | undefined;
  let slow: SlowSubscriber | undefined;
  try {
    manager = await ManagerProcess.start(home);
    const { baseUrl } = manager;
    const cookie = await manager.tokenCookie();
    const publisher = startPublisher(home);
    link = publisher;
    await until(() => publisher.connected, "the publisher's link to attach", 15_000);
    const status = manager.api(ManagerService);

    log(`baseline: 1 subscriber, ${BASELINE_RATE} events/s for ${BASELINE_SECONDS} s`);
    const single = await openSubscribers(baseUrl, cookie, 1);
    const baseline = summary(single, await phase(publisher, single, BASELINE_RATE, BASELINE_SECONDS));
    await closeAll(single);

    log(`fan-out: ${SUBSCRIBERS} subscribers, ${RATE} events/s for ${FANOUT_SECONDS} s`);
    const all = await openSubscribers(baseUrl, cookie, SUBSCRIBERS);
    const fanout = summary(all, await phase(publisher, all, RATE, FANOUT_SECONDS));
    await closeAll(all);

    log(`load: ${SUBSCRIBERS - 1} subscribers + 1 frozen, ${RATE} events/s for ${LOAD_SECONDS} s`);
    const readers = await openSubscribers(baseUrl, cookie, SUBSCRIBERS - 1);
    slow = new SlowSubscriber(baseUrl, cookie);
    await slow.ready();
    slow.freeze();
    const frozenAt = performance.now();
    const firstAfterFreeze = emittedAt.length;
    // The manager's own subscriber count shows when it cut the frozen one off.
    let cutOff: { afterMs: number; eventsPublished: number } | undefined;
    let polling = true;
    const rssBefore = manager.rssMiB();
    let rssMax = rssBefore;
    const runningManager = manager;
    const poller = (async () => {
      while (polling) {
        const count = (await status.getStatus({})).subscriberCount;
        if (cutOff === undefined && count < SUBSCRIBERS) cutOff = { afterMs: performance.now() - frozenAt, eventsPublished: emittedAt.length - firstAfterFreeze };
        rssMax = Math.max(rssMax, runningManager.rssMiB());
        await Bun.sleep(200);
      }
    })();
    const loadRange = await phase(publisher, readers, RATE, LOAD_SECONDS);
    const cutOffWithinLoad = cutOff !== undefined;
    // Not cut off yet: the frozen reader's socket buffers still absorb the events. Keep the same
    // load on until the manager's queue cap trips (or the cap on this bench's patience).
    if (!cutOffWithinLoad) {
      log(`the frozen subscriber was not cut off within ${LOAD_SECONDS} s; publishing on (at most ${EXTEND_SECONDS} s) until it is`);
      await publish(publisher, RATE, EXTEND_SECONDS, () => cutOff !== undefined);
      await drained(readers, emittedAt.length - 1);
    }
    polling = false;
    await poller;
    const load = summary(readers, { first: loadRange.first, last: emittedAt.length - 1 });
    const rssAfterLoad = manager.rssMiB();
    log("thawing the frozen subscriber");
    const slowReport = await slow.thawAndReport();
    await closeAll(readers);
    const { ending } = slowReport;
    const resourceExhausted = ending.kind === "error" && ending.code === Code[Code.ResourceExhausted];
    const cutOffReport = cutOff as { afterMs: number; eventsPublished: number } | undefined;
    const wireBytes = [...all, ...readers].find((s) => s.wireBytesPerEvent > 0)?.wireBytesPerEvent ?? 0;

    const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        bench: "manager-fanout",
        transport:
          "publisher: the proxy's link client (startManagerLink, gRPC over manager.sock) in this process; subscribers: EventService.Subscribe, Connect JSON over HTTP/1.1 on the TCP port with the token cookie (the dashboard's way)",
        event: "new_log_entries",
        subscribers: SUBSCRIBERS,
        rate_per_s: RATE,
        seconds: FANOUT_SECONDS,
        p50_ms: fanout.p50_ms,
        p95_ms: fanout.p95_ms,
        p99_ms: fanout.p99_ms,
        max_ms: fanout.max_ms,
        target_p50_ms: 2,
        meets_target_p50: fanout.p50_ms <= 2,
        fanout,
        baseline: {
          what: `the same path (proxy link → manager → Connect stream) with 1 subscriber at ${BASELINE_RATE} events/s: the latency without fan-out or load`,
          seconds: BASELINE_SECONDS,
          ...baseline,
        },
        ratio_p50: ratio(fanout.p50_ms, baseline.p50_ms),
        ratio_p99: ratio(fanout.p99_ms, baseline.p99_ms),
        load_case: {
          what: `${SUBSCRIBERS} subscribers, ${RATE} events/s; one (a child process running the same Connect client) is frozen with SIGSTOP after its opening events, as a suspended laptop would be, and thawed at the end`,
          seconds: LOAD_SECONDS,
          seconds_published: round((load.events_sent + WARMUP_EVENTS) / RATE, 1),
          readers: load,
          frozen_subscriber: {
            cut_off_within_load_seconds: cutOffWithinLoad,
            cut_off_after_s: cutOffReport === undefined ? null : round(cutOffReport.afterMs / 1000, 1),
            events_published_before_cut_off: cutOffReport?.eventsPublished ?? null,
            ended_with_resource_exhausted: resourceExhausted,
            ending,
            events_read_after_thaw: slowReport.received,
            note: `the events it read after the thaw were held by its connection (both ends' socket buffers and the manager's HTTP response buffer); the manager's event hub only sees it fall behind once those are full, then its queue of ${HUB_QUEUE_CAP} fills and it is cut off`,
          },
          wire_bytes_per_event: wireBytes,
          manager_rss_mib: { before: rssBefore, max: rssMax, after_publishing: rssAfterLoad },
          ok: resourceExhausted && load.all_received_in_order,
        },
      })}\n`,
    );
  } finally {
    await slow?.kill();
    await link?.close();
    await manager?.stop();
    await home.remove();
  }
}

if (process.argv[2] === SLOW_FLAG) await runSlowSubscriberChild(process.argv[3] ?? "");
else await runBench();
