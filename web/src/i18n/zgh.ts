import type { Messages } from './fr';

type Partial2<T> = { [K in keyof T]?: T[K] extends object ? Partial2<T[K]> : T[K] };

/*
 * Tamazight in Tifinagh: the words the synthesis report already uses (gateway
 * reporting/render/labels.ts), unreviewed by a native speaker like those. What has no word here
 * yet shows in French (i18next's fallback), rather than a guess: to be completed with IRCAM's
 * lexicon.
 */
export const zgh: Partial2<Messages> = {
  app: { title: 'ⴰⵙⵏⴼⵍⵓⵍ ⵏ ⵉⵣⵔⴼⴰⵏ ⵏ ⵓⴼⴳⴰⵏ' },
  lights: { ON_TRACK: 'ⴳ ⵓⴱⵔⵉⴷ', AT_RISK: 'ⴳ ⵓⵙⵓⵔⵙ', OFF_TRACK: 'ⵉⵜⵜⵓⴳⴳⴰⵡ', NO_TARGET: 'ⴱⵍⴰ ⴰⵏⵙⴰⵢ' },
  dashboard: {
    region: 'ⵜⴰⵎⵏⴰⴹⵜ',
    code: 'ⴰⵏⴰⵎⴽ',
    indicator: 'ⴰⵏⵎⴰⵍ',
    value: 'ⴰⵣⴰⵍ',
    target: 'ⴰⵏⵙⴰⵢ',
    achievement: 'ⴰⵙⵎⴷⵓ',
    status: 'ⴰⴷⴷⴰⴷ',
    reachByRegion: 'ⵉⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵏⵖⵎⵙⵏ',
  },
  actions: { female: 'ⵜⵉⵎⵖⴰⵔⵉⵏ', male: 'ⵉⵔⴳⴰⵣⵏ' },
};
