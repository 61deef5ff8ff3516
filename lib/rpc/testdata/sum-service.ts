import { create, createFileRegistry } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import { FileDescriptorProtoSchema, Int64ValueSchema, file_google_protobuf_wrappers } from "@bufbuild/protobuf/wkt";

/**
 * A client-streaming service built at run time from a descriptor (the project's protos have no
 * client-streaming RPC). Sum adds up Int64Values; it lives only in tests, never in proto/.
 */
export type SumServiceDesc = GenService<{
  sum: { methodKind: "client_streaming"; input: typeof Int64ValueSchema; output: typeof Int64ValueSchema };
}>;

const fileProto = create(FileDescriptorProtoSchema, {
  name: "rpctest/v1/sum.proto",
  package: "rpctest.v1",
  syntax: "proto3",
  dependency: ["google/protobuf/wrappers.proto"],
  service: [
    {
      name: "SumService",
      method: [
        {
          name: "Sum",
          inputType: ".google.protobuf.Int64Value",
          outputType: ".google.protobuf.Int64Value",
          clientStreaming: true,
        },
      ],
    },
  ],
});

const registry = createFileRegistry(fileProto, (name) =>
  name === file_google_protobuf_wrappers.proto.name ? file_google_protobuf_wrappers : undefined,
);
const service = registry.getService("rpctest.v1.SumService");
if (!service) throw new Error("rpctest.v1.SumService missing from its own descriptor");

// The registry returns an untyped DescService; the shape above is what the descriptor declares.
export const SumService = service as unknown as SumServiceDesc;
