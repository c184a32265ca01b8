const util = require("util");
export default util;
export const {
  inspect, format, formatWithOptions, isDeepStrictEqual, types, promisify, deprecate, inherits, isArray,
} = util;
