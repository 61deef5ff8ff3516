import { toBinary, type DescFile, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { Server } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";

/** A service's file followed by every file it imports, transitively (well-known types included). */
export function transitiveFiles(service: DescService): DescFile[] {
  const seen = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    if (seen.has(file.proto.name)) return;
    seen.set(file.proto.name, file);
    for (const dependency of file.dependencies) visit(dependency);
  };
  visit(service.file);
  return [...seen.values()];
}

/**
 * Registers grpc.reflection.v1 and v1alpha for the given services, so `buf curl` and grpcurl work
 * without a local schema. @grpc/reflection normally takes a proto-loader package definition, but it
 * only reads the serialized FileDescriptorProtos from it, which protobuf-es hands us directly.
 */
export function addReflection(server: Server, services: readonly DescService[]): void {
  type PackageDefinition = ConstructorParameters<typeof ReflectionService>[0];
  const definition: Record<string, { fileDescriptorProtos: Buffer[] }> = {};
  for (const service of services) {
    definition[service.typeName] = {
      fileDescriptorProtos: transitiveFiles(service).map((file) =>
        Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto)),
      ),
    };
  }
  const reflection = new ReflectionService(definition as unknown as PackageDefinition, {
    services: services.map((service) => service.typeName),
  });
  reflection.addToServer(server);
}
