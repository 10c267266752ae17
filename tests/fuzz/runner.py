"""Run the CLI in this process on one input and classify the outcome (for tests and benchmarks/fuzz.py).

Running in-process (``alliancelab.cli.main``) is ~20x faster than a subprocess. Stdout and stderr are
captured, warnings are recorded as stderr lines (each would be printed once by a fresh process), and
a SIGALRM interrupts an input that runs longer than the time limit.
"""

from __future__ import annotations

import contextlib
import io
import signal
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from alliancelab.cli import main
from alliancelab.limits import configure

OUTCOMES = ("exit0", "exit2", "traceback", "bad_exit", "not_one_line", "slow")


class _Timeout(BaseException):
    pass


@dataclass
class Result:
    """What one CLI invocation did."""

    argv: list[str]
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    traceback: str | None = None
    timed_out: bool = False

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def outcome(self, slow: float) -> str:
        """One of :data:`OUTCOMES` (the first problem found)."""
        if self.traceback is not None or "Traceback" in self.stderr:
            return "traceback"
        if self.timed_out or self.seconds > slow:
            return "slow"
        if self.code not in (0, 2):
            return "bad_exit"
        lines = self.stderr_lines
        if self.code == 2 and (len(lines) != 1 or not lines[0].startswith("error: ")):
            return "not_one_line"
        if self.code == 0 and len(lines) > 1:
            return "not_one_line"
        return f"exit{self.code}"


def run_cli(argv: list[str], *, time_limit: float = 10.0) -> Result:
    """Run ``alliancelab <argv>`` in this process (main thread) and capture what it did."""
    out, err = io.StringIO(), io.StringIO()
    code: int | None = None
    tb = None
    timed_out = False

    def alarm(_signum, _frame):  # noqa: ANN001
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            warnings.simplefilter("always")
            try:
                main(list(argv))
                code = 0
            except SystemExit as ex:
                code = ex.code if isinstance(ex.code, int) else (0 if ex.code is None else 1)
            except _Timeout:
                timed_out = True
            except BaseException:  # noqa: BLE001 - this is what the fuzzer looks for
                tb = traceback.format_exc()
        for w in caught:
            err.write(f"{w.category.__name__}: {w.message}\n")
    except _Timeout:
        timed_out = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        configure(None)  # a mutant's --limit must not leak into the next one
    return Result(list(argv), code, out.getvalue(), err.getvalue(), time.perf_counter() - t0, tb, timed_out)


def command_for(path: Path, overrides: list[str], which: int) -> list[str]:
    """The CLI command a mutant is fed to: ``which`` in [0, 20): ``validate`` (0-7), a small
    ``forecast`` without drivers (8-18) or with drivers (19; 23 simulations, so rarer)."""
    sets: list[str] = []
    for o in overrides:
        if o.startswith("--"):
            sets.append(o)
        elif o.startswith("\x00raw:"):
            sets.append(o[len("\x00raw:"):])
        else:
            sets += ["--set", o]
    if which < 8:
        return ["validate", str(path), *sets]
    drivers = ["--drivers", "--driver-runs", "5"] if which >= 19 else ["--no-drivers"]
    return ["forecast", str(path), "--runs", "10", "--seed", "1", "--json", *drivers, *sets]
