import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { RegisterSchema } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { checkRegister } from "./register-check.ts";

const valid = {
  proxyName: "fs",
  proxyId: "px_1a2b3c4d:filesystem",
  instanceId: "1a2b3c4d_0f0f0f0f",
  pid: 42,
  controlSocket: "/run/mcp-acp/proxy_fs.sock",
  version: "0.1.0",
};

test("a complete register passes and keeps its fields", () => {
  const check = checkRegister(create(RegisterSchema, valid));
  expect(check.ok && check.registration).toMatchObject(valid);
});

test("the instance id must belong to the proxy id and differ per run", () => {
  const other = checkRegister(create(RegisterSchema, { ...valid, instanceId: "ffffffff_0f0f0f0f" }));
  expect(!other.ok && other.violations.map((v) => v.field)).toEqual(["register.instance_id"]);
  const same = checkRegister(create(RegisterSchema, { ...valid, instanceId: valid.proxyId }));
  expect(!same.ok && same.violations.map((v) => v.field)).toEqual(["register.instance_id"]);
});

test("reserved and malformed names are refused with the lib/config rule", () => {
  for (const proxyName of ["", "all", "_x", "a b", "x".repeat(65)]) {
    const check = checkRegister(create(RegisterSchema, { ...valid, proxyName }));
    expect(!check.ok && check.violations[0]?.field).toBe("register.proxy_name");
  }
});
