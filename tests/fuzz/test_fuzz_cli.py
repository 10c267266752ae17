"""Hypothesis-driven mutations of the examples and built-in cases, fed to the CLI in-process.

Every mutant must exit 0 or 2, print at most one line on stderr (``error: ...`` when it exits 2), show
no traceback and finish within :data:`TIME_LIMIT` seconds. The budget is bounded for CI (about 120
mutants, well under a minute); ``benchmarks/fuzz.py --minutes N`` runs longer campaigns.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .mutate import CLASSES, mutate, seed_files
from .runner import command_for, run_cli

TIME_LIMIT = 10.0
SEEDS = seed_files()
FUZZ = settings(max_examples=12, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def test_seeds_are_the_examples_and_the_cases():
    assert any(k.startswith("examples/") for k in SEEDS) and sum(k.startswith("cases/") for k in SEEDS) >= 5


@pytest.mark.parametrize("cls", CLASSES)
@FUZZ
@given(name=st.sampled_from(sorted(SEEDS)), seed=st.integers(0, 2**32 - 1), which=st.integers(0, 19),
       text=st.text(max_size=40))
def test_mutants_exit_cleanly(tmp_path_factory, cls, name, seed, which, text):
    rng = random.Random(seed)
    yaml_text, overrides = mutate(rng, SEEDS[name], cls, unicode_text=text)
    path = tmp_path_factory.mktemp("mutant") / "mutant.yaml"
    path.write_text(yaml_text, encoding="utf-8", errors="surrogatepass")
    result = run_cli(command_for(path, overrides, which), time_limit=TIME_LIMIT + 5)
    outcome = result.outcome(TIME_LIMIT)
    assert outcome in ("exit0", "exit2"), (
        f"{cls} mutant of {name} (seed {seed}): {outcome} in {result.seconds:.1f} s; argv {result.argv[:2]} "
        f"overrides {overrides!r:.300}; stderr {result.stderr[-500:]!r}; traceback {result.traceback}")


def test_runner_detects_failures(monkeypatch):
    """The classifier is not vacuous: a traceback, an exit 1 and two stderr lines are all caught."""
    import alliancelab.cli as cli

    def boom(*_a, **_k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli, "_command", lambda: boom)
    assert run_cli(["validate", "x"]).outcome(TIME_LIMIT) == "traceback"
    from .runner import Result

    assert Result(["x"], 1, "", "error: x\n", 0.1).outcome(TIME_LIMIT) == "bad_exit"
    assert Result(["x"], 2, "", "error: x\nmore\n", 0.1).outcome(TIME_LIMIT) == "not_one_line"
    assert Result(["x"], 0, "", "", 11.0).outcome(TIME_LIMIT) == "slow"
