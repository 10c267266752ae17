"""The regression corpus: every input that ever failed exits 0 or 2 with one line, fast (README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .mutate import REPO
from .runner import command_for, run_cli

CORPUS = Path(__file__).resolve().parent / "corpus"
TIME_LIMIT = 10.0


def _check(argv: list[str]) -> None:
    result = run_cli(argv, time_limit=TIME_LIMIT + 5)
    outcome = result.outcome(TIME_LIMIT)
    assert outcome in ("exit0", "exit2"), (f"{outcome} in {result.seconds:.1f} s: {result.stderr[-500:]!r} "
                                           f"{result.traceback}")


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.yaml")), ids=lambda p: p.name)
def test_corpus_files(path):
    for which in (0, 10):  # validate, forecast
        _check(command_for(path, [], which))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.json")), ids=lambda p: p.name)
def test_corpus_commands(path, tmp_path):
    argv = [a.replace("{repo}", str(REPO)).replace("{corpus}", str(CORPUS)).replace("{tmp}", str(tmp_path))
            for a in json.loads(path.read_text(encoding="utf-8"))]
    result = run_cli(argv, time_limit=TIME_LIMIT + 5)
    assert result.outcome(TIME_LIMIT) == "exit2", (result.stderr[-500:], result.traceback)


def test_corpus_holds_the_issue_cases():
    names = {p.name for p in CORPUS.iterdir()}
    assert {"set-alias-bomb.json", "self-alias.yaml", "deep-nesting.yaml", "periods-1000.yaml",
            "factions-1000.yaml", "sweep-ucx.json", "sweep-tcp-port-abc.json"} <= names
