"""Fuzz campaign: mutate the example and built-in scenarios and feed them to the CLI for N minutes.

Usage::

    .venv/bin/python benchmarks/fuzz.py --minutes 3 [--seed 1] [--save DIR]

Each mutant (classes in ``tests/fuzz/mutate.py``: deleted keys, swapped types, out-of-range numbers,
NaN/inf, unicode, anchors and aliases, deep nesting, huge lists, corrupted text, hostile ``--set``) is
run in-process through ``validate`` or a small ``forecast``. Every mutant must exit 0 or 2 with at
most one line on stderr (``error: ...`` for 2), no traceback, within 10 s. The table prints counts per
class and outcome; failing inputs are written to ``--save`` (add them to ``tests/fuzz/corpus``).
Exit status 1 when any mutant failed. Issue #14 target: 2,000 mutants, 0 tracebacks, 0 over 10 s.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fuzz.mutate import CLASSES, mutate, seed_files  # noqa: E402
from tests.fuzz.runner import OUTCOMES, command_for, run_cli  # noqa: E402

SLOW = 10.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=1.0, help="how long to fuzz")
    ap.add_argument("--seed", type=int, default=1, help="random seed of the campaign")
    ap.add_argument("--save", type=Path, default=None, help="folder for the failing inputs")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seeds = seed_files()
    names = sorted(seeds)
    counts: dict[str, collections.Counter[str]] = {c: collections.Counter() for c in CLASSES}
    slowest = 0.0
    failures = []
    end = time.monotonic() + 60 * args.minutes
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.yaml"
        while time.monotonic() < end:
            cls = CLASSES[n % len(CLASSES)]
            name = rng.choice(names)
            text, overrides = mutate(rng, seeds[name], cls)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            result = run_cli(command_for(path, overrides, rng.randrange(20)), time_limit=SLOW + 5)
            outcome = result.outcome(SLOW)
            counts[cls][outcome] += 1
            slowest = max(slowest, result.seconds)
            if outcome not in ("exit0", "exit2"):
                failures.append({"class": cls, "seed_file": name, "outcome": outcome, "argv": result.argv,
                                 "overrides": overrides, "seconds": round(result.seconds, 2),
                                 "detail": (result.traceback or result.stderr)[-2000:]})
                if args.save is not None:
                    args.save.mkdir(parents=True, exist_ok=True)
                    stem = f"{cls}-{outcome}-{n}"
                    (args.save / f"{stem}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
                    (args.save / f"{stem}.json").write_text(json.dumps(failures[-1], indent=1))
            n += 1
    width = max(len(c) for c in CLASSES)
    print(f"{'class':<{width}} " + " ".join(f"{o:>12}" for o in OUTCOMES) + f" {'total':>7}")
    for cls in CLASSES:
        c = counts[cls]
        print(f"{cls:<{width}} " + " ".join(f"{c[o]:>12}" for o in OUTCOMES) + f" {sum(c.values()):>7}")
    total = collections.Counter()
    for c in counts.values():
        total.update(c)
    print(f"{'all':<{width}} " + " ".join(f"{total[o]:>12}" for o in OUTCOMES) + f" {n:>7}")
    print(f"mutants: {n} in {args.minutes:g} min (seed {args.seed}); tracebacks: {total['traceback']}; "
          f"over {SLOW:g} s: {total['slow']}; other failures: "
          f"{total['bad_exit'] + total['not_one_line']}; slowest: {slowest:.2f} s")
    for f in failures[:10]:
        print(f"FAIL {f['class']} {f['outcome']} {f['seed_file']} {f['argv'][:2]} {f['overrides']}: "
              f"{f['detail'].strip().splitlines()[-1] if f['detail'].strip() else ''}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
