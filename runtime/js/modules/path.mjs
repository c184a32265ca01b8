const path = require("path");
export default path;
export const {
  sep, delimiter, isAbsolute, normalize, join, resolve, relative, dirname, basename,
  extname, parse, format, posix,
} = path;
