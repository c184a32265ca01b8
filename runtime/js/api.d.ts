// JS-light: modern JavaScript with Node's fs, path, console and process. Paths are
// relative to the world's root; inputs are read-only; no network, no child processes.
declare const console: { log(...v: any[]): void; error(...v: any[]): void; warn(...v: any[]): void; table(rows: any, columns?: string[]): void; dir(v: any, options?: { depth?: number | null }): void };  // formats as Node 20
declare const fs: {  // also require('fs'), import fs from 'node:fs'
  readFileSync(path: string, encoding: "utf8"): string;
  readFileSync(path: string): Buffer;
  writeFileSync(path: string, data: string | Uint8Array): void;
  appendFileSync(path: string, data: string | Uint8Array): void;
  existsSync(path: string): boolean;
  readdirSync(path: string, options?: { withFileTypes?: boolean }): string[];
  mkdirSync(path: string, options?: { recursive?: boolean }): void;
  statSync(path: string): { size: number; mtime: Date; isFile(): boolean; isDirectory(): boolean };
  renameSync(from: string, to: string): void; unlinkSync(path: string): void;
  rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  promises: { readFile(path: string, encoding: "utf8"): Promise<string>; writeFile(path: string, data: string): Promise<void> };
  createReadStream(path: string, encoding?: "utf8"): { path: string; on(event: "data" | "end" | "error", fn: (v?: any) => void): void };
};
// Node's process, as a world has it: no arguments but the program's path, env {}, the world's clock.
// exit(n) ends the run at once (n != 0, or exitCode != 0 at the end, fails it).
declare const process: { argv: string[]; env: Record<string, string>; exitCode?: number; exit(code?: number): never;
  stdout: { write(s: string): boolean }; stderr: { write(s: string): boolean }; platform: "linux"; cwd(): "/";
  nextTick(fn: () => void): void; hrtime: { (prev?: [number, number]): [number, number]; bigint(): bigint }; uptime(): number };
// Also Node's modules assert (and assert/strict), events (EventEmitter), readline (createInterface over
// fs.createReadStream(path): 'line' events or `for await`) and string_decoder, by require or import.
declare const path: { join(...p: string[]): string; basename(p: string, ext?: string): string; dirname(p: string): string; extname(p: string): string; resolve(...p: string[]): string };
// Data files. CSV: first row is the header; numbers typed; empty cells null; quoted fields kept as text.
type Row = Record<string, string | number | null>;
declare function readCSV(path: string, options?: { separator?: string; typed?: boolean }): Row[];
declare function writeCSV(path: string, rows: object[], columns?: string[]): void;
declare function parseCSV(text: string, options?: { separator?: string; header?: boolean }): Row[];
declare function toCSV(rows: object[], columns?: string[]): string;
declare function readJSON(path: string): any;
declare function writeJSON(path: string, value: any, indent?: number): void;
declare function readJSONL(path: string): any[];
declare function writeJSONL(path: string, rows: any[]): void;
// Time is the world's: Date.now() is its `now`; timers run on virtual time after the program.
declare function setTimeout(fn: () => void, ms?: number): number;
declare function setInterval(fn: () => void, ms?: number): number;
declare const util: {  // not a global: require('util'), import util from 'node:util'; prints as Node 20 does
  inspect(value: any, options?: { depth?: number | null; compact?: boolean | number; breakLength?: number; sorted?: boolean; maxArrayLength?: number; maxStringLength?: number }): string;
  format(format?: any, ...args: any[]): string;  // %s %d %i %f %j %o %O %c %%
  formatWithOptions(options: object, format?: any, ...args: any[]): string;
  isDeepStrictEqual(a: any, b: any): boolean;
  promisify(fn: (...args: any[]) => void): (...args: any[]) => Promise<any>;
  deprecate<F>(fn: F, message: string): F;
  types: { isDate(v: any): boolean; isRegExp(v: any): boolean; isMap(v: any): boolean; isSet(v: any): boolean; isPromise(v: any): boolean; isTypedArray(v: any): boolean };
};
declare function require(name: "fs" | "path" | "util" | `./${string}`): any;
