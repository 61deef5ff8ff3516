export {
  checkEnvelope,
  type DecodeResult,
  decodeLine,
  formatBytes,
  type InputProblem,
  type InputProblemKind,
  oversizedProblem,
} from "./decode.ts";
export { isFailedOutcome, type RelayEvent, type RelayOutcome } from "./events.ts";
export { type ScannedFields, TopLevelFieldScanner } from "./field-scanner.ts";
export {
  FORWARD,
  type NotificationDecision,
  type RelayHooks,
  type RequestContext,
  type RequestDecision,
} from "./hooks.ts";
export {
  type ClientBoundMessage,
  errorResponse,
  formatRequestId,
  isNotification,
  isRequest,
  isRequestId,
  isResponse,
  JsonRpcErrorCode,
  type JsonRpcErrorObject,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type JSONRPCResponse,
  type JSONRPCResultResponse,
  type NullIdErrorResponse,
  nullIdErrorResponse,
  type RequestId,
  resultResponse,
} from "./jsonrpc.ts";
export { type FrameEvent, LineFramer } from "./line-framer.ts";
export {
  createMemoryLogger,
  createStderrLogger,
  type LineWriter,
  type LogEntry,
  type LogFields,
  type LogLevel,
  type ProxyLogger,
} from "./log.ts";
export { McpRelay, type RelayOptions, type WireDirection, type WireTap } from "./relay.ts";
export {
  DEFAULT_CLIENT_MAX_MESSAGE_BYTES,
  StdioFramedTransport,
  type StdioFramedTransportOptions,
} from "./stdio-framed-transport.ts";
export { type BackendExit, type ClientTransport, describeExit, type RelayBackend } from "./transports.ts";
