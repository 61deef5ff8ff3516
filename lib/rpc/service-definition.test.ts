import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, test } from "bun:test";
import { ProxyControl } from "../gen/mcpacp/control/v1/control_pb.ts";
import { HealthRequestSchema, HealthResponseSchema, ManagerLink } from "../gen/mcpacp/link/v1/link_pb.ts";
import { grpcServiceDefinition, messageDeserializer, messageSerializer, methodPath, RpcCode, RpcError } from "./index.ts";

describe("grpcServiceDefinition", () => {
  test("maps every rpc by localName with its path and stream flags", () => {
    const definition = grpcServiceDefinition(ManagerLink);
    expect(Object.keys(definition).sort()).toEqual(["attach", "health"]);
    expect(definition.health?.path).toBe("/mcpacp.link.v1.ManagerLink/Health");
    expect([definition.health?.requestStream, definition.health?.responseStream]).toEqual([false, false]);
    expect([definition.attach?.requestStream, definition.attach?.responseStream]).toEqual([true, true]);
    const control = grpcServiceDefinition(ProxyControl);
    expect([control.watchApprovals?.requestStream, control.watchApprovals?.responseStream]).toEqual([false, true]);
    expect(Object.keys(control).length).toBe(ProxyControl.methods.length);
  });

  test("methodPath uses the proto names", () => {
    expect(methodPath(ProxyControl.method.getInfo)).toBe("/mcpacp.control.v1.ProxyControl/GetInfo");
  });
});

describe("message serializer", () => {
  const serialize = messageSerializer(HealthResponseSchema);
  const deserialize = messageDeserializer(HealthResponseSchema);

  test("accepts a message and its init shape alike", () => {
    const message = create(HealthResponseSchema, { pid: 5, version: "v" });
    const fromMessage = serialize(message);
    const fromInit = serialize({ pid: 5, version: "v" });
    expect(fromInit).toEqual(fromMessage);
    expect(new Uint8Array(fromMessage)).toEqual(toBinary(HealthResponseSchema, message));
    expect(deserialize(fromInit)).toEqual(message);
  });

  test("refuses a message of another type instead of half-copying it", () => {
    const wrong = create(HealthRequestSchema, {});
    let error: unknown;
    try {
      serialize(wrong);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcCode.INTERNAL);
    expect((error as RpcError).message).toContain("mcpacp.link.v1.HealthRequest");
  });
});
