import { isHumanRightsTag, type HumanRightsTag } from '@hrp/contracts';
import { graphQLError } from './errors';

/**
 * The tag a `TaggedWork` entity reference names (the reverse view: every subgraph that adds to
 * it resolves its references with this), or BAD_USER_INPUT when it is not a known kind and a
 * non-blank ref.
 */
export function taggedWorkTag(ref: { kind?: unknown; ref?: unknown }): HumanRightsTag {
  const tag = { kind: ref.kind, ref: ref.ref };
  if (!isHumanRightsTag(tag)) throw graphQLError('BAD_USER_INPUT', 'a TaggedWork is keyed by a known tag kind and a non-blank ref');
  return { kind: tag.kind, ref: tag.ref };
}
