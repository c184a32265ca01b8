"""Secrets out of a trace before it is written: each one replaced by ``[REDACTED:kind]`` and counted.

The kinds, most specific first, so a key inside a header is counted once, as the key:
``anthropic_key`` (sk-ant-...), ``openai_key`` (sk-...), ``aws_key`` (AKIA...),
``github_token`` (ghp_..., gho_..., github_pat_...), ``slack_token`` (xoxb-...),
``jwt`` (three base64url parts, the first two starting ``eyJ``), ``authorization``
(an ``Authorization:`` header's value), ``bearer`` (``Bearer <token>``) and ``env``
(the value of an assignment to a name such as ``*_KEY``, ``*_TOKEN``, ``*_SECRET``,
``PASSWORD``: ``export X=...``, ``X: ...``, ``"X": "..."``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

MARK = "[REDACTED:{}]"

_NOT_DONE = r"(?!\[REDACTED)"
_SECRET_NAME = (r"[A-Z][A-Z0-9_]*(?:_KEY|_TOKEN|_SECRET|_PASSWORD|_PASSWD|_PWD|_CREDENTIALS?|_APIKEY)"
                r"|PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY")

#: (kind, pattern, group holding the secret); group 0 is the whole match.
PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    ("anthropic_key", re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{8,}"), 0),
    ("openai_key", re.compile(r"\bsk-(?!ant-)(?:proj-|svcacct-)?[A-Za-z0-9_\-]{16,}"), 0),
    ("aws_key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), 0),
    ("github_token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"), 0),
    ("slack_token", re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"), 0),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{4,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}"), 0),
    ("authorization", re.compile(
        r"(?i)\bauthorization[\"']?\s*[:=]\s*[\"']?" + _NOT_DONE
        + r"(?:(?:bearer|basic|token|digest)\s+)?" + _NOT_DONE + r"([^\s\"'\\,;]{6,})"), 1),
    ("bearer", re.compile(r"(?i)\bbearer\s+" + _NOT_DONE + r"([A-Za-z0-9._~+/=\-]{8,})"), 1),
    # The value stops at whitespace or a quote; `$OTHER` and `${OTHER}` are references, not secrets.
    ("env", re.compile(
        r"(?<![A-Za-z0-9_])[\"']?(?:" + _SECRET_NAME + r")[\"']?\s*[=:]\s*"
        + r"(?:\"(?!\$|\[REDACTED)([^\"\n]{4,})\"|'(?!\$|\[REDACTED)([^'\n]{4,})'"
        + r"|(?![\"'$]|\[REDACTED)([^\s\"',;]{4,}))"), -1),
]


def redact_text(text: str, counts: Counter[str]) -> str:
    """``text`` with every secret replaced; ``counts`` gains one per secret, by kind."""
    for kind, pattern, group in PATTERNS:
        if group == 0:
            text, n = pattern.subn(MARK.format(kind), text)
            if n:
                counts[kind] += n
            continue
        text = pattern.sub(functools.partial(_replace, kind=kind, group=group, counts=counts), text)
    return text


def _replace(match: re.Match[str], kind: str, group: int, counts: Counter[str]) -> str:
    # The secret is one group of the match; what precedes it (the name, the header) is kept.
    groups = [group] if group > 0 else [g for g in range(1, (match.re.groups or 0) + 1) if match.group(g)]
    if not groups:
        return match.group(0)
    g = groups[0]
    counts[kind] += 1
    start, end = match.start(g) - match.start(0), match.end(g) - match.start(0)
    whole = match.group(0)
    return whole[:start] + MARK.format(kind) + whole[end:]


def redact(value: Any, counts: Counter[str]) -> Any:
    """``value`` (JSON data) with every string redacted, keys included."""
    if isinstance(value, str):
        return redact_text(value, counts)
    if isinstance(value, list):
        return [redact(v, counts) for v in value]
    if isinstance(value, dict):
        return {redact_text(k, counts): redact(v, counts) for k, v in value.items()}
    return value
