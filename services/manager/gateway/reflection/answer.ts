import { toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  type ServerReflectionRequest,
  type ServerReflectionResponseSchema,
} from "../../../../lib/gen/grpc/reflection/v1/reflection_pb.ts";
import type { DescriptorIndex } from "./descriptor-index.ts";

type ResponseInit = MessageInitShape<typeof ServerReflectionResponseSchema>;
type Answer = ResponseInit["messageResponse"];

function notFound(message: string): Answer {
  return { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: message } };
}

function filesAnswer(index: DescriptorIndex, file: Parameters<DescriptorIndex["withDependencies"]>[0]): Answer {
  // Every time the whole closure: simpler than tracking what this stream already sent, and allowed.
  const fileDescriptorProto = index.withDependencies(file).map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto } };
}

function answerFor(index: DescriptorIndex, request: ServerReflectionRequest): Answer {
  const question = request.messageRequest;
  switch (question.case) {
    case "listServices":
      return {
        case: "listServicesResponse",
        value: { service: index.serviceNames().map((name) => ({ name })) },
      };
    case "fileByFilename": {
      const file = index.fileByName(question.value);
      return file ? filesAnswer(index, file) : notFound(`file ${JSON.stringify(question.value)} is not served here`);
    }
    case "fileContainingSymbol": {
      const file = index.fileContainingSymbol(question.value);
      return file ? filesAnswer(index, file) : notFound(`symbol ${JSON.stringify(question.value)} is not served here`);
    }
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = question.value;
      const extension = index.extensionsOf(containingType).find((e) => e.number === extensionNumber);
      return extension
        ? filesAnswer(index, extension.file)
        : notFound(`no extension ${extensionNumber} of ${JSON.stringify(containingType)} is served here`);
    }
    case "allExtensionNumbersOfType": {
      if (!index.message(question.value)) return notFound(`type ${JSON.stringify(question.value)} is not served here`);
      return {
        case: "allExtensionNumbersResponse",
        value: {
          baseTypeName: question.value.replace(/^\./, ""),
          extensionNumber: index.extensionsOf(question.value).map((e) => e.number),
        },
      };
    }
    case undefined:
      return {
        case: "errorResponse",
        value: { errorCode: Code.InvalidArgument, errorMessage: "the reflection request asks nothing" },
      };
  }
}

/** The answer to one reflection request (grpc.reflection.v1 shapes). */
export function answerReflectionRequest(index: DescriptorIndex, request: ServerReflectionRequest): ResponseInit {
  return { validHost: request.host, originalRequest: request, messageResponse: answerFor(index, request) };
}
