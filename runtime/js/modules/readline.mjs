const readline = require("readline");
export default readline;
export const { createInterface } = readline;
