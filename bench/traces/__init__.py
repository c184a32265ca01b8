"""Agent sessions as bench traces, and what they teach (issue 15).

- ``python -m bench.traces import PATH... --out DIR``: Claude Code, Codex CLI and pi coding-agent
  sessions (the format told per file from its content) written as traces of the bench's format,
  secrets redacted, huge outputs cut, binary data replaced, unsupported claims flagged.
- ``python -m bench.traces report DIR...``: tools' failure rates, errors retried or abandoned,
  loops, undone edits, turns and tokens by outcome, diagnostic codes, unsupported claims.
- ``python -m bench.traces check TRACE...``: flag unsupported claims in traces in place (bench
  traces from ``pytest bench/`` are written without them).

Modules: ``formats`` (reading lines, detection, the trace builder), ``claude``, ``codex``, ``pi``
(one reader each), ``redact``, ``actions`` (what a tool call did), ``claims``, ``mine``,
``importer``.
"""
