// Policy enums between the file's lower-case words and the proto enums (same names upper-cased).
import {
  CombiningAlgorithm,
  Operation,
  ResourceType,
  RuleEffect,
  SideEffect,
} from "../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import {
  type CombiningAlgorithm as CombiningName,
  type Effect,
  OPERATIONS,
  RESOURCE_TYPES,
  SIDE_EFFECTS,
  type Operation as OperationName,
  type ResourceType as ResourceTypeName,
  type SideEffect as SideEffectName,
} from "../../../../lib/policy/index.ts";

/** The proto value of a file word, e.g. "fs_read" → SideEffect.FS_READ; undefined when unknown. */
function fromWord<E extends Record<string, string | number>>(enumObject: E, word: string): E[keyof E] | undefined {
  const value = enumObject[word.toUpperCase() as keyof E];
  return typeof value === "number" && value !== 0 ? value : undefined;
}

/** The file word of a proto value, e.g. SideEffect.FS_READ → "fs_read"; undefined for UNSPECIFIED. */
function toWord<W extends string>(enumObject: Record<number, string>, value: number, words: readonly W[]): W | undefined {
  const name = enumObject[value]?.toLowerCase();
  return words.find((w) => w === name);
}

export const effectWord = (value: RuleEffect): Effect | undefined => toWord(RuleEffect, value, ["allow", "deny", "hitl"] as const);
export const effectValue = (word: Effect): RuleEffect => fromWord(RuleEffect, word) ?? RuleEffect.UNSPECIFIED;

export const operationWord = (value: Operation): OperationName | undefined => toWord(Operation, value, OPERATIONS);
export const operationValue = (word: OperationName): Operation => fromWord(Operation, word) ?? Operation.UNSPECIFIED;

export const resourceTypeWord = (value: ResourceType): ResourceTypeName | undefined => toWord(ResourceType, value, RESOURCE_TYPES);
export const resourceTypeValue = (word: ResourceTypeName): ResourceType => fromWord(ResourceType, word) ?? ResourceType.UNSPECIFIED;

export const sideEffectWord = (value: SideEffect): SideEffectName | undefined => toWord(SideEffect, value, SIDE_EFFECTS);
export const sideEffectValue = (word: SideEffectName): SideEffect => fromWord(SideEffect, word) ?? SideEffect.UNSPECIFIED;

export function combiningWord(value: CombiningAlgorithm): CombiningName | undefined {
  if (value === CombiningAlgorithm.DENY_OVERRIDES) return "deny-overrides";
  if (value === CombiningAlgorithm.HITL_OVERRIDES) return "hitl-overrides";
  return undefined;
}

export function combiningValue(word: CombiningName): CombiningAlgorithm {
  return word === "hitl-overrides" ? CombiningAlgorithm.HITL_OVERRIDES : CombiningAlgorithm.DENY_OVERRIDES;
}
