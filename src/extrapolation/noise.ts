/**
 * The prior on a curve's observation noise, in the normalised units of `learningCurve` (the seen
 * part of a curve spans 0.8): sigma^2 ~ scaled-inverse-chi^2(nu, s0^2), worth `nu` pseudo-points
 * with noise s0 (Gelman et al., Bayesian Data Analysis, 3rd ed., §2.6). It keeps the noise away from
 * 0 when a family has as many parameters as there are points, and is soon outweighed by data.
 */
export const NOISE_PRIOR = { nu: 2, scale: 0.01 } as const;
