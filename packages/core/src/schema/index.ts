/**
 * Option schemas: each public options object is declared once here-style, its TypeScript type is
 * `Infer<typeof schema>`, and `parse(where, schema, value)` rejects wrong types, unknown keys,
 * non-finite or fractional numbers with an OptionError naming the function, the option, the
 * value and what is accepted. Exported from @recurrent/core as `schema` for the other packages.
 */
export { describeValue } from './describe.js';
export { object, type ObjectIn, type ObjectOut, type ObjectRules, type ObjectSchema, type Shape } from './object.js';
export { anyOf, array, bool, custom, finite, func, instance, int, isPlainObject, oneOf, record, string, tagged, tuple, type IntRange, type LengthRange, type NumberRange } from './primitives.js';
export { childAt, fail, parse, parseArgument, parseOption, Schema, type AnySchema, type At, type Infer, type Parsed } from './schema.js';
export { checkTensorSize, MAX_TENSOR_BYTES, MAX_TENSOR_ELEMENTS } from './tensor-size.js';
export { dtype, seed } from './common.js';
