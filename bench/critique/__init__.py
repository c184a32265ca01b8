"""``python -m bench.critique DIR... --model M``: a model critiques trajectories (issue 15, part 6).

A model reads bench traces (``OUT/traces/*.jsonl``) or imported sessions (``bench.traces import``)
with a rubric and proposes concrete changes to the harness, the prompt, the tool descriptions or the
diagnostics, each citing the episodes and turns that motivate it. Citations are checked against the
traces; suggestions are merged across episodes and ranked by how many episodes support them. Repeats
of one task are compared for consistency, by the model and deterministically. Writes
``critique.md`` and ``critique.json``.

Modules: ``episodes`` (traces read back, compact transcripts), ``model`` (the OpenAI-compatible
client), ``suggest`` (rubric, citations checked, merging and ranking), ``consistency``, ``output``.
"""
