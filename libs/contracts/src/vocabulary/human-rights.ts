/** Kinds of human-rights tag, spelled as the GraphQL `TagKind` enum. */
export const TAG_KINDS = [
  'UPR_RECOMMENDATION',
  'TREATY_BODY_OBSERVATION',
  'SDG_TARGET',
  'NATIONAL_PLAN_MEASURE',
  'INSTRUMENT',
  'THEME',
] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/**
 * A tag attachable to campaigns, modules, sessions, agreements, dossiers, recommendations and
 * commitments; `ref` identifies the thing tagged within its kind (e.g. `{ SDG_TARGET, '16.10' }`).
 */
export interface HumanRightsTag {
  readonly kind: TagKind;
  readonly ref: string;
}

/** International instruments (core treaties and the UDHR) usable as `INSTRUMENT` refs. */
export const INSTRUMENTS = ['UDHR', 'ICCPR', 'ICESCR', 'CAT', 'CEDAW', 'CRC', 'CRPD', 'CERD', 'CMW', 'CPED'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/** A State's response to a UPR recommendation. */
export const UPR_RESPONSES = ['SUPPORTED', 'NOTED'] as const;
export type UprResponse = (typeof UPR_RESPONSES)[number];

const tagKindSet: ReadonlySet<string> = new Set(TAG_KINDS);
const instrumentSet: ReadonlySet<string> = new Set(INSTRUMENTS);

/** Type guard for `TagKind`. */
export function isTagKind(value: unknown): value is TagKind {
  return typeof value === 'string' && tagKindSet.has(value);
}

/** Type guard for `Instrument`. */
export function isInstrument(value: unknown): value is Instrument {
  return typeof value === 'string' && instrumentSet.has(value);
}

/** Type guard for a tag: a known kind and a non-blank ref. */
export function isHumanRightsTag(value: unknown): value is HumanRightsTag {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, ref } = value as Record<string, unknown>;
  return isTagKind(kind) && typeof ref === 'string' && ref.trim().length > 0;
}

/**
 * The key a read model indexes a tag by (`UPR_RECOMMENDATION:4-148.12`), for the reverse view:
 * everything tagged with one tag, across the contexts. The ref is trimmed, as the deciders store it.
 */
export function tagKey(tag: HumanRightsTag): string {
  return `${tag.kind}:${tag.ref.trim()}`;
}
