// zlib (RFC 1950/1951) in plain TypeScript for core/: strict bounded inflate, deterministic deflate.

export { inflate } from './inflate.js';
export { deflate } from './deflate.js';
export { adler32 } from './tables.js';
