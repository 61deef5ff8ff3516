import type { DescEnum, DescExtension, DescFile, DescMessage, DescService } from "@bufbuild/protobuf";

/**
 * Every file a set of services needs (their own files and all imports, transitively), with a
 * lookup from fully qualified symbol to the file that declares it. Reflection answers from this.
 */
export class DescriptorIndex {
  readonly services: readonly DescService[];
  readonly #files = new Map<string, DescFile>();
  readonly #symbols = new Map<string, DescFile>();
  readonly #messages = new Map<string, DescMessage>();
  readonly #extensions: DescExtension[] = [];

  constructor(services: readonly DescService[]) {
    const unique = new Map<string, DescService>();
    for (const service of services) unique.set(service.typeName, service);
    this.services = [...unique.values()].sort((a, b) => a.typeName.localeCompare(b.typeName));
    for (const service of this.services) this.#addFile(service.file);
  }

  /** Service names, sorted. */
  serviceNames(): string[] {
    return this.services.map((service) => service.typeName);
  }

  fileByName(name: string): DescFile | undefined {
    return this.#files.get(name);
  }

  fileContainingSymbol(symbol: string): DescFile | undefined {
    return this.#symbols.get(symbol.replace(/^\./, ""));
  }

  message(typeName: string): DescMessage | undefined {
    return this.#messages.get(typeName.replace(/^\./, ""));
  }

  extensionsOf(typeName: string): DescExtension[] {
    const name = typeName.replace(/^\./, "");
    return this.#extensions.filter((extension) => extension.extendee.typeName === name);
  }

  /** The file followed by all its imports, each once (imports of imports included). */
  withDependencies(file: DescFile): DescFile[] {
    const seen = new Map<string, DescFile>();
    const visit = (f: DescFile): void => {
      if (seen.has(f.proto.name)) return;
      seen.set(f.proto.name, f);
      for (const dependency of f.dependencies) visit(dependency);
    };
    visit(file);
    return [...seen.values()];
  }

  #addFile(file: DescFile): void {
    if (this.#files.has(file.proto.name)) return;
    this.#files.set(file.proto.name, file);
    const pkg = file.proto.package;
    for (const message of file.messages) this.#addMessage(file, message);
    for (const enumeration of file.enums) this.#addEnum(file, enumeration, pkg);
    for (const extension of file.extensions) this.#addExtension(file, extension);
    for (const service of file.services) {
      this.#symbols.set(service.typeName, file);
      for (const method of service.methods) this.#symbols.set(`${service.typeName}.${method.name}`, file);
    }
    for (const dependency of file.dependencies) this.#addFile(dependency);
  }

  #addMessage(file: DescFile, message: DescMessage): void {
    this.#symbols.set(message.typeName, file);
    this.#messages.set(message.typeName, message);
    for (const field of message.fields) this.#symbols.set(`${message.typeName}.${field.name}`, file);
    for (const oneof of message.oneofs) this.#symbols.set(`${message.typeName}.${oneof.name}`, file);
    for (const nested of message.nestedMessages) this.#addMessage(file, nested);
    for (const nested of message.nestedEnums) this.#addEnum(file, nested, message.typeName);
    for (const nested of message.nestedExtensions) this.#addExtension(file, nested);
  }

  /** Enum values are scoped beside their enum, not inside it (protobuf's C++ scoping). */
  #addEnum(file: DescFile, enumeration: DescEnum, scope: string): void {
    this.#symbols.set(enumeration.typeName, file);
    for (const value of enumeration.values) this.#symbols.set(scope ? `${scope}.${value.name}` : value.name, file);
  }

  #addExtension(file: DescFile, extension: DescExtension): void {
    this.#symbols.set(extension.typeName, file);
    this.#extensions.push(extension);
  }
}
