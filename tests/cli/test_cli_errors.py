"""The CLI turns bad input into one line on stderr and exit status 2."""

from __future__ import annotations

import subprocess
import sys

from alliancelab._exceptions import InputError


def test_input_error_is_one_line_with_source_and_field():
    err = InputError("must be >= 0; got -1", source="s.yaml", field="patrons.USA.budget")
    assert str(err) == "s.yaml: field 'patrons.USA.budget': must be >= 0; got -1"
    assert "\n" not in str(InputError("a\nb"))


def test_help_runs():
    out = subprocess.run([sys.executable, "-m", "alliancelab", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "alliancelab" in out.stdout.lower() or "usage" in out.stdout.lower()
