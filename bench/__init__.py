"""The agent-loop benchmark (``pytest bench/``) and performance benchmarks (``bench/perf``)."""
