import { create, fromBinary, isMessage, toBinary, type DescMessage, type DescMethod, type DescService, type Message } from "@bufbuild/protobuf";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { RpcCode, RpcError } from "./rpc-error.ts";

/** What the adapter accepts for serialization: a message of the right schema or its init shape. */
export type WireMessage = Message | Record<string, unknown>;

/** The gRPC path of a method, e.g. "/mcpacp.link.v1.ManagerLink/Health". */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

export function isRequestStream(method: DescMethod): boolean {
  return method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming";
}

export function isResponseStream(method: DescMethod): boolean {
  return method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming";
}

/**
 * Serializer accepting both messages and init shapes (toBinary alone throws on plain objects).
 * A message of another schema is refused loudly instead of being half-copied by create().
 */
export function messageSerializer(schema: DescMessage): (value: WireMessage) => Buffer {
  return (value) => {
    if (isMessage(value, schema)) return Buffer.from(toBinary(schema, value));
    const typeName = (value as { $typeName?: unknown }).$typeName;
    if (typeof typeName === "string" && typeName !== schema.typeName) {
      throw new RpcError(RpcCode.INTERNAL, `cannot send a ${typeName} where ${schema.typeName} is expected`);
    }
    return Buffer.from(toBinary(schema, create(schema, value)));
  };
}

export function messageDeserializer(schema: DescMessage): (bytes: Buffer) => Message {
  return (bytes) => fromBinary(schema, bytes);
}

/** The grpc-js definition of one method; shared by the server adapter and the typed client. */
export function grpcMethodDefinition(method: DescMethod): MethodDefinition<WireMessage, WireMessage> {
  return {
    path: methodPath(method),
    requestStream: isRequestStream(method),
    responseStream: isResponseStream(method),
    requestSerialize: messageSerializer(method.input),
    requestDeserialize: messageDeserializer(method.input),
    responseSerialize: messageSerializer(method.output),
    responseDeserialize: messageDeserializer(method.output),
    originalName: method.localName,
  };
}

/** Adapter from a protobuf-es v2 service descriptor to a grpc-js service definition. */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<WireMessage, WireMessage>> = {};
  for (const method of service.methods) definition[method.localName] = grpcMethodDefinition(method);
  // grpc-js declares ServiceDefinition over MethodDefinition<any, any>; this is the one `any`.
  return definition as ServiceDefinition<any>;
}
