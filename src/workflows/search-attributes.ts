// The search attributes every canary workflow keeps up to date, so the Temporal UI's list and the
// CLI can filter rollouts (`RolloutPhase = "Failed"`, `CanaryNamespace = "test"`). The stack and the
// install register them under these names and types (scripts/lib.sh, deploy/).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const searchAttributes = {
  canaryNamespace: defineSearchAttributeKey('CanaryNamespace', SearchAttributeType.KEYWORD),
  canaryName: defineSearchAttributeKey('CanaryName', SearchAttributeType.KEYWORD),
  /** The target Deployment's name. */
  target: defineSearchAttributeKey('RolloutTarget', SearchAttributeType.KEYWORD),
  /** The Canary's phase as last written (Progressing, WaitingPromotion, Succeeded, ...). */
  phase: defineSearchAttributeKey('RolloutPhase', SearchAttributeType.KEYWORD),
  canaryWeight: defineSearchAttributeKey('CanaryWeight', SearchAttributeType.INT),
  /** Succeeded or Failed, set on the run that carried the rollout once it ended. */
  outcome: defineSearchAttributeKey('RolloutOutcome', SearchAttributeType.KEYWORD),
  /** The revision (pod template and tracked configs hash) this run is rolling out. */
  revision: defineSearchAttributeKey('RolloutRevision', SearchAttributeType.KEYWORD),
} as const;
