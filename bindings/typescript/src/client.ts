/**
 * A typed client for the HTTP JSON API of `worlds serve --http HOST:PORT`.
 *
 * One method per endpoint, plain JSON in and out, global `fetch` (Node 20+,
 * browsers, Deno, Bun). Every non-2xx answer becomes a `WorldsError` that
 * carries the server's `error` sentence and the HTTP status.
 */

/** A world the server offers: `GET /v1/worlds`. */
export interface WorldInfo {
  name: string;
  description: string;
  files: string[];
}

/** A new session: `POST /v1/sessions`. */
export interface SessionCreated {
  id: string;
  world: string;
  /** Unix time in seconds. */
  created: number;
  tools: string[];
}

/** One file of a session's workspace; `input` is true for the world's read-only inputs. */
export interface FileEntry {
  path: string;
  size: number;
  input: boolean;
}

/** One run of a session: what ran (`target` is a file or `<code>`) and the receipt of its outcome. */
export interface HistoryEntry {
  target: string;
  lang: Lang;
  ok: boolean;
  receipt: string;
  /** One line on the outcome. */
  summary: string;
  /** Files the run created, changed or deleted (empty for a failed run). */
  changed: string[];
  /** The program text that ran. */
  source: string;
}

/** A session's state: `GET /v1/sessions/{id}`. */
export interface SessionState {
  id: string;
  world: string;
  /** Unix time in seconds. */
  created?: number;
  files: FileEntry[];
  history: HistoryEntry[];
}

/** The shapes `tools()` can return tool specs in, ready to hand to that SDK. */
export type ToolFormat = "openai" | "openai-responses" | "anthropic" | "mcp";

/** The tools every session offers. */
export type ToolName =
  | "describe" | "list_files" | "read_file" | "write_file" | "edit_file" | "run" | "check";

/** The result of one tool call: `text` is what an agent should read. */
export interface CallResult {
  text: string;
  ok: boolean;
  /** The run's receipt when the tool ran a program, else null. */
  receipt: string | null;
  /** Workspace files the call created, changed or deleted. */
  changed: string[];
}

export type Lang = "js" | "sql" | (string & {});

/** What to run: inline code, or a file of the workspace. */
export type RunRequest =
  | { code: string; path?: undefined; lang?: Lang }
  | { path: string; code?: undefined; lang?: Lang };

export interface Position {
  line: number;
  column: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export interface TextEdit {
  span: Span;
  replacement: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
  applicable: boolean;
}

/** A compiler-grade diagnostic: stable code, exact span, cause and fix. */
export interface Diagnostic {
  code: string;
  severity: "error" | "warning" | "note";
  message: string;
  file: string | null;
  span: Span | null;
  label?: string;
  labels?: { span: Span; text: string; file?: string | null }[];
  notes?: string[];
  help?: string[];
  fixes?: Fix[];
}

export interface Table {
  columns: string[];
  rows: unknown[][];
  row_count: number;
}

export interface FileChange {
  path: string;
  kind: "created" | "modified" | "deleted";
  size: number;
}

export interface RunStats {
  fuel: number;
  wall_ms: number;
  memory_bytes: number;
}

/** The result of one run: `POST /v1/sessions/{id}/run`. `text` is the agent-facing report. */
export interface RunResult {
  lang: Lang;
  ok: boolean;
  stdout: string;
  stderr: string;
  value: unknown;
  table: Table | null;
  files: Record<string, string>;
  changes: FileChange[];
  diagnostics: Diagnostic[];
  stats: RunStats;
  receipt: string;
  text: string;
}

export interface WorldsClientOptions {
  /** Where `worlds serve --http` listens; default `http://127.0.0.1:8765`. */
  baseUrl?: string | undefined;
  /** Sent as `Authorization: Bearer TOKEN` (the server's `--token` / `WORLDS_TOKEN`). */
  token?: string | undefined;
  /** A `fetch` to use instead of the global one (for proxies, tests, retries). */
  fetch?: typeof fetch | undefined;
}

/** A request the server refused or could not serve; `message` is the server's own sentence. */
export class WorldsError extends Error {
  override readonly name = "WorldsError";

  constructor(
    message: string,
    /** HTTP status of the answer, e.g. 404 for an unknown session. */
    readonly status: number,
    /** The parsed JSON body, when the answer had one. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export class WorldsClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: WorldsClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? "http://127.0.0.1:8765").replace(/\/+$/, "");
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** The worlds this server offers. */
  async worlds(): Promise<WorldInfo[]> {
    return (await this.#request<{ worlds: WorldInfo[] }>("GET", "/v1/worlds")).worlds;
  }

  /** Start a session (a private workspace) on a world. */
  createSession(world: string): Promise<SessionCreated> {
    return this.#request("POST", "/v1/sessions", { world });
  }

  /** A session's files and history. */
  session(id: string): Promise<SessionState> {
    return this.#request("GET", `/v1/sessions/${enc(id)}`);
  }

  async deleteSession(id: string): Promise<void> {
    await this.#request("DELETE", `/v1/sessions/${enc(id)}`);
  }

  /** The session's tool specs in the shape a model SDK expects. */
  async tools(id: string, format: ToolFormat = "openai"): Promise<unknown[]> {
    const path = `/v1/sessions/${enc(id)}/tools?format=${enc(format)}`;
    return (await this.#request<{ tools: unknown[] }>("GET", path)).tools;
  }

  /** Call one tool, as a model would (the dispatcher behind every tool format). */
  call(id: string, name: ToolName | (string & {}), args: Record<string, unknown> = {}): Promise<CallResult> {
    return this.#request("POST", `/v1/sessions/${enc(id)}/call`, { name, arguments: args });
  }

  writeFile(id: string, path: string, content: string): Promise<{ path: string; size: number }> {
    return this.#request("PUT", filePath(id, path), { content });
  }

  async readFile(id: string, path: string): Promise<string> {
    return (await this.#request<{ path: string; content: string }>("GET", filePath(id, path))).content;
  }

  /** Run inline code or a workspace file; files the run writes join the workspace. */
  run(id: string, request: RunRequest): Promise<RunResult> {
    return this.#request("POST", `/v1/sessions/${enc(id)}/run`, request);
  }

  async history(id: string): Promise<HistoryEntry[]> {
    return (await this.#request<{ history: HistoryEntry[] }>("GET", `/v1/sessions/${enc(id)}/history`)).history;
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.#token !== undefined) headers["authorization"] = `Bearer ${this.#token}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await this.#fetch(this.baseUrl + path, init);
    const text = await response.text();
    const data = text ? parseJson(text) : undefined;
    if (response.ok && text && data === undefined) {
      throw new WorldsError(`${method} ${path}: the server answered with something other than JSON`,
        response.status, text);
    }
    if (!response.ok) {
      const sentence = isObject(data) && typeof data["error"] === "string" ? data["error"] : undefined;
      const message = sentence ?? `${method} ${path} failed: HTTP ${response.status} ${response.statusText}`.trim();
      throw new WorldsError(message, response.status, data ?? (text || undefined));
    }
    return data as T;
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}

/** Workspace paths may hold slashes: encode each segment, keep the separators. */
function filePath(id: string, path: string): string {
  return `/v1/sessions/${enc(id)}/files/${path.split("/").map(enc).join("/")}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
