"""Exception hierarchy of alliancelab.

::

    AllianceLabError                 base of every error alliancelab raises on purpose
    ├── InputError (ValueError)      bad user input: a scenario, a config, a data file, a CLI option
    │   ├── ScenarioError            a scenario file that does not validate
    │   └── DataFormatError          a dataset file with missing columns, wrong layout, bad codes
    └── ModelError (RuntimeError)    a domain failure inside a model (e.g. calibration did not converge)

``InputError`` messages are one line that names the file (when there is one), the field and what is
allowed; the CLI prints them after ``error:`` and exits with status 2, never with a traceback.
"""

from __future__ import annotations

__all__ = ["AllianceLabError", "DataFormatError", "InputError", "ModelError", "ScenarioError"]


class AllianceLabError(Exception):
    """Base class of every error alliancelab raises on purpose."""


class InputError(AllianceLabError, ValueError):
    """Bad input from the user: a file, a field, an option.

    Parameters
    ----------
    message
        What is wrong and what is allowed.
    source
        The file (or option) the input came from, prefixed to the message when given.
    field
        The dotted path of the offending field, e.g. ``patrons.USA.budget``.
    """

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None):
        self.source = source
        self.field = field
        parts = []
        if source:
            parts.append(str(source))
        if field:
            parts.append(f"field '{field}'")
        prefix = ": ".join(parts)
        text = f"{prefix}: {message}" if prefix else message
        super().__init__(" ".join(text.split()))  # always one line


class ScenarioError(InputError):
    """A scenario file that does not parse or validate."""


class DataFormatError(InputError):
    """A dataset file that is missing columns, truncated, or not the dataset it claims to be."""


class ModelError(AllianceLabError, RuntimeError):
    """A domain failure inside a model (e.g. a calibration that did not converge)."""
