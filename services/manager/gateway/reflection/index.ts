export { withReflection, registeredServices, type Routes } from "./register.ts";
export { DescriptorIndex } from "./descriptor-index.ts";
export { answerReflectionRequest } from "./answer.ts";
