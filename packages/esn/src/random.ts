/** The seeded generator of core (xoshiro128**), used for every random draw of the package. */
export { Random } from '@recurrent/core';
