import {
  clone,
  createFileRegistry,
  fromBinary,
  toBinary,
  type DescMessage,
  type DescMethod,
  type DescMethodBiDiStreaming,
  type DescService,
  type Message,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import {
  file_grpc_reflection_v1_reflection,
  ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../../../../lib/gen/grpc/reflection/v1/reflection_pb.ts";

const V1_PACKAGE = "grpc.reflection.v1";
const V1ALPHA_PACKAGE = "grpc.reflection.v1alpha";

/**
 * grpc.reflection.v1alpha, for older clients. Its messages are field-for-field those of v1, so
 * instead of vendoring a second file we derive its descriptor from v1's by renaming the package.
 */
export interface V1alphaReflection {
  service: DescService;
  method: DescMethodBiDiStreaming;
  /** v1alpha request → v1 request (same wire bytes). */
  toV1Request(message: Message): ServerReflectionRequest;
  /** v1 response → v1alpha response (same wire bytes). */
  fromV1Response(message: ServerReflectionResponse): Message;
}

function isBidi(method: DescMethod | undefined): method is DescMethodBiDiStreaming {
  return method?.methodKind === "bidi_streaming";
}

function renameType(typeName: string): string {
  return typeName.startsWith(`.${V1_PACKAGE}.`) ? `.${V1ALPHA_PACKAGE}.${typeName.slice(V1_PACKAGE.length + 2)}` : typeName;
}

export function deriveV1alphaReflection(): V1alphaReflection {
  const proto = clone(FileDescriptorProtoSchema, file_grpc_reflection_v1_reflection.proto);
  proto.name = "grpc/reflection/v1alpha/reflection.proto";
  proto.package = V1ALPHA_PACKAGE;
  proto.options = undefined;
  for (const message of proto.messageType) {
    for (const field of message.field) if (field.typeName) field.typeName = renameType(field.typeName);
  }
  for (const service of proto.service) {
    for (const method of service.method) {
      method.inputType = renameType(method.inputType);
      method.outputType = renameType(method.outputType);
    }
  }
  const registry = createFileRegistry(proto, () => undefined);
  const service = registry.getService(`${V1ALPHA_PACKAGE}.${ServerReflection.name}`);
  const method = service?.methods.find((m) => m.name === ServerReflection.method.serverReflectionInfo.name);
  if (!service || !isBidi(method)) {
    throw new Error(`deriving ${V1ALPHA_PACKAGE}.ServerReflection from the v1 descriptor failed`);
  }
  const v1 = ServerReflection.method.serverReflectionInfo;
  const output: DescMessage = method.output;
  return {
    service,
    method,
    toV1Request: (message) => fromBinary(v1.input, toBinary(method.input, message)),
    fromV1Response: (message) => fromBinary(output, toBinary(v1.output, message)),
  };
}
