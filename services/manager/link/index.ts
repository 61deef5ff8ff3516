// services/manager/link: the ManagerLink server (Attach sessions with registration, heartbeats and
// replacement; Health).
export { AttachmentSession } from "./attachment.ts";
export { LINK_DEFAULTS, type AttachResponseInit, type LinkTiming, type TokenUpdateInit, type UiStatusInit } from "./link-context.ts";
export { LinkServer, type LinkEndpoints, type LinkServerOptions } from "./link-server.ts";
export { checkRegister, type RegisterCheck, type RegisterViolation } from "./register-check.ts";
