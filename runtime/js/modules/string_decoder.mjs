const decoder = require("string_decoder");
export default decoder;
export const { StringDecoder } = decoder;
