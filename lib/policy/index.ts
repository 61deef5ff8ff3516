// Public API of the policy engine: pure (no I/O), shared by the proxy, the CLI and the manager.

export * from "./model.ts";
export { PolicyError, PolicyErrorCode, type PolicyIssue, type PolicyIssueType } from "./errors.ts";
export { validatePolicy, parsePolicyText } from "./validate.ts";
export { generateRuleId, ruleIdSource, GENERATED_RULE_ID_PREFIX } from "./rule-id.ts";
export { pathGlobToRegExp, shellGlobToRegExp, type GlobOptions } from "./glob.ts";
export { parseJsonPointer, resolveJsonPointer } from "./json-pointer.ts";
export { ruleSpecificity } from "./specificity.ts";
export { ruleKinds } from "./reachability.ts";
export { compilePolicy, type CompiledPolicy, type CompiledRule, type CompileOptions } from "./compile.ts";
export { evaluate, matchingRules } from "./evaluate.ts";
export { classifyMethod, resourceTypeForMethod, intentForMethod, DISCOVERY_METHODS } from "./classify.ts";
export { buildDecisionContext, type ContextInput } from "./context.ts";
export { extractArgumentPaths, type ExtractedPaths } from "./extract-paths.ts";
export {
  normalizeRequestPath,
  normalizePathLexically,
  decodeFileUri,
  pathExtension,
  pathFilename,
  pathParentDir,
  type PathNormalizeOptions,
} from "./paths.ts";
export { lookupSideEffects, baseToolName } from "./side-effects.ts";
export { inferOperation } from "./operations.ts";
export {
  checkProtectedPaths,
  checkProtectedContext,
  createAncestorRealpath,
  isWithinDir,
  type ProtectedPathOptions,
  type ProtectedPathVerdict,
  type RealpathPrimitives,
} from "./protected-paths.ts";
export { isToolVisible, type ToolVisibilityInput } from "./tool-visibility.ts";
export {
  sanitizeDescription,
  sanitizeListEntry,
  DESCRIPTION_MAX_CHARS,
  SUSPICIOUS_FLAGS,
  type SanitizeFlag,
  type SanitizeResult,
  type SanitizeFinding,
  type SanitizedEntry,
} from "./sanitize.ts";
export { addGeneratedIds, policyToDocument, formatPolicyDocument, type IdWriteBack } from "./serialize.ts";
