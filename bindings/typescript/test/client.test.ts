// The client against a real `worlds serve --http`, started here on a free port.
// Python comes from WORLDS_PYTHON (what `make test` sets), else ../../.venv/bin/python.

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { WorldsClient, WorldsError } from "../src/client.js";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url)); // dist/test/ -> package root
const PYTHON = process.env["WORLDS_PYTHON"] ?? resolve(PACKAGE, "../../.venv/bin/python");
const TOKEN = randomBytes(12).toString("hex");

let server: ChildProcess;
let serverLog = "";
let dataDir: string;
let client: WorldsClient;
let baseUrl: string;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`worlds serve exited with ${server.exitCode}:\n${serverLog}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`worlds serve did not answer /healthz within ${timeoutMs} ms:\n${serverLog}`);
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "worlds-ts-"));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(
    PYTHON,
    ["-m", "worlds", "serve", "--http", `127.0.0.1:${port}`, "--data", dataDir, "--token", TOKEN],
    { cwd: resolve(PACKAGE, "../.."), stdio: ["ignore", "pipe", "pipe"] },
  );
  server.on("error", (err) => { serverLog += `spawn ${PYTHON}: ${err.message}\n`; });
  server.stdout?.on("data", (chunk: Buffer) => { serverLog += chunk.toString(); });
  server.stderr?.on("data", (chunk: Buffer) => { serverLog += chunk.toString(); });
  await waitForHealth(baseUrl, 60_000);
  client = new WorldsClient({ baseUrl, token: TOKEN });
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("WorldsClient against worlds serve", () => {
  let id = "";

  it("lists the bundled worlds", async () => {
    const worlds = await client.worlds();
    const sales = worlds.find((w) => w.name === "sales");
    assert.ok(sales, `no sales world in ${JSON.stringify(worlds.map((w) => w.name))}`);
    assert.ok(sales.files.includes("sales.csv"));
    assert.equal(typeof sales.description, "string");
  });

  it("refuses a request without the bearer token", async () => {
    const anonymous = new WorldsClient({ baseUrl });
    await assert.rejects(anonymous.worlds(), (err: unknown) => {
      assert.ok(err instanceof WorldsError);
      assert.equal(err.status, 401);
      assert.ok(err.message.length > 0);
      return true;
    });
  });

  it("creates a session on sales", async () => {
    const session = await client.createSession("sales");
    id = session.id;
    assert.equal(session.world, "sales");
    assert.ok(id.length > 0);
    assert.equal(typeof session.created, "number");
    for (const tool of ["describe", "list_files", "read_file", "write_file", "edit_file", "run", "check"]) {
      assert.ok(session.tools.includes(tool), `missing tool ${tool} in ${JSON.stringify(session.tools)}`);
    }
  });

  it("gives tool specs in every format", async () => {
    for (const format of ["openai", "openai-responses", "anthropic", "mcp"] as const) {
      const tools = await client.tools(id, format);
      assert.equal(tools.length, 7, format);
      assert.match(JSON.stringify(tools), /"write_file"/, format);
    }
  });

  it("reports a bug as a diagnostic, then runs the fixed program", async () => {
    const buggy = [
      "const rows = fs.readFileSync('sales.csv', 'utf8').trim().split('\\n').slice(1);",
      "fs.writeFileSync('count.txt', String(rows.length));",
      "rows.lenght + totl",
      "",
    ].join("\n");
    const written = await client.writeFile(id, "count.js", buggy);
    assert.deepEqual(written, { path: "count.js", size: Buffer.byteLength(buggy) });

    const failed = await client.run(id, { path: "count.js" });
    assert.equal(failed.ok, false);
    assert.deepEqual(failed.changes, []); // a failed run changes nothing
    const diagnostic = failed.diagnostics.find((d) => d.message.includes("totl"));
    assert.ok(diagnostic, JSON.stringify(failed.diagnostics));
    assert.match(diagnostic.code, /^JS\d{4}$/);
    assert.equal(diagnostic.severity, "error");
    assert.equal(diagnostic.span?.start.line, 3);
    assert.match(failed.text, /error\[JS\d{4}\]/);

    const fixed = buggy.replace("rows.lenght + totl", "rows.length");
    await client.writeFile(id, "count.js", fixed);
    assert.equal(await client.readFile(id, "count.js"), fixed);
    const result = await client.run(id, { path: "count.js", lang: "js" });
    assert.equal(result.ok, true, result.text);
    assert.equal(result.value, 40);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.files["count.txt"], "40");
    assert.deepEqual(result.changes, [{ path: "count.txt", kind: "created", size: 2 }]);
    assert.equal(typeof result.receipt, "string");
    assert.equal(typeof result.stats.wall_ms, "number");
  });

  it("runs SQL and returns a table", async () => {
    const result = await client.run(id, { code: "SELECT COUNT(*) AS n FROM sales", lang: "sql" });
    assert.equal(result.ok, true, result.text);
    assert.equal(result.lang, "sql");
    assert.deepEqual(result.table, { columns: ["n"], rows: [[40]], row_count: 1 });
  });

  it("calls a tool", async () => {
    const listed = await client.call(id, "list_files");
    assert.equal(listed.ok, true, listed.text);
    assert.match(listed.text, /sales\.csv/);
    assert.match(listed.text, /count\.txt/);
    const wrote = await client.call(id, "write_file", { path: "notes.md", content: "# notes\n" });
    assert.equal(wrote.ok, true, wrote.text);
    assert.deepEqual(wrote.changed, ["notes.md"]);
    assert.equal(await client.readFile(id, "notes.md"), "# notes\n");

    const state = await client.session(id);
    assert.equal(state.world, "sales");
    const files = new Map(state.files.map((f) => [f.path, f]));
    assert.equal(files.get("sales.csv")?.input, true);
    assert.equal(files.get("count.txt")?.input, false);
    const history = await client.history(id); // the runs: count.js twice, then the SQL
    assert.deepEqual(history.map((h) => [h.target, h.lang, h.ok]),
      [["count.js", "js", false], ["count.js", "js", true], ["<code>", "sql", true]]);
    assert.deepEqual(history[1]?.changed, ["count.txt"]);
    assert.deepEqual(state.history, history);
  });

  it("throws a WorldsError with the server's sentence on an unknown session", async () => {
    await assert.rejects(client.session("no-such-session"), (err: unknown) => {
      assert.ok(err instanceof WorldsError, String(err));
      assert.equal(err.status, 404);
      assert.ok(err.message.length > 0 && !err.message.startsWith("GET "), err.message);
      return true;
    });
    await assert.rejects(client.createSession("no-such-world"), (err: unknown) => {
      assert.ok(err instanceof WorldsError && err.status >= 400 && err.status < 500, String(err));
      return true;
    });
  });

  it("deletes the session", async () => {
    await client.deleteSession(id);
    await assert.rejects(client.session(id), (err: unknown) => err instanceof WorldsError && err.status === 404);
  });
});
