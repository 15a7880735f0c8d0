// How a Canary shifts traffic, derived from its analysis (src/api/defaults.ts strategyOf): weighted
// steps, header or cookie matches for a number of iterations, or a blue/green switch.
export type Strategy = 'canary' | 'ab-testing' | 'blue-green';
