const fs = require("fs");
export default fs;
export const {
  readFileSync, writeFileSync, appendFileSync, existsSync, readdirSync, mkdirSync,
  statSync, lstatSync, unlinkSync, rmSync, rmdirSync, renameSync, copyFileSync, promises, createReadStream,
} = fs;
