// The classification banner every screen carries at its top and bottom (issue 6 "Reader"), in the conventional
// colours: green UNCLASSIFIED, blue CONFIDENTIAL, red SECRET; purple and amber for the two controlled levels between.
import type { Classification } from '../../../src/cable/types.ts';

const CLASS_NAMES: Readonly<Record<Classification, string>> = {
  UNCLASSIFIED: 'level-unclassified',
  LIMITED: 'level-limited',
  RESTRICTED: 'level-restricted',
  CONFIDENTIAL: 'level-confidential',
  SECRET: 'level-secret',
};

export interface ClassificationBannerProps {
  readonly level: Classification;
  /** Which edge of the page: the bottom banner repeats the top one so a printed or scrolled page is marked too. */
  readonly position: 'top' | 'bottom';
}

/** One banner: the marking as text (colour is never the only signal), labelled for assistive technology. */
export function ClassificationBanner({ level, position }: ClassificationBannerProps) {
  return (
    <div class={`classification-banner ${CLASS_NAMES[level]}`} data-position={position} role="note" aria-label={`Classification: ${level}`}>
      {level}
    </div>
  );
}
