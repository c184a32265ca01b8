"""Where things are in a JS guest's file system: shared by the engine adapter and the error mapping."""

BOOT = "/.worlds/boot.mjs"
#: The name inline code goes by, in the guest and in diagnostics.
INLINE = "<code>"
#: CommonJS files are also offered wrapped in a function, under this folder, so
#: that `require` can load them by file name and their stack frames name them.
CJS = "<cjs>"
CJS_PREFIX = "(function (exports, require, module, __filename, __dirname) {"
CJS_SUFFIX = "\n})"
