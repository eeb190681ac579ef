import * as fc from 'fast-check';

// Property tests run on a fixed seed so a CI run is reproducible and cannot fail by the luck of
// the draw; FC_SEED=<n> explores another part of the input space, FC_SEED=random a fresh one.
const seed = process.env['FC_SEED'];
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261128 });
