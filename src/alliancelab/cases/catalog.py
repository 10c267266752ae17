"""The built-in cases shipped in ``alliancelab/cases/data/*.yaml``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CaseInfo", "check_cases", "list_cases"]


@dataclass(frozen=True)
class CaseInfo:
    """One built-in case: id, title, paper, era, region, mechanisms, span, clients and patrons."""

    id: str
    title: str
    paper: str
    first_period: str
    last_period: str
    clients: tuple[str, ...]
    patrons: tuple[str, ...]
    expected: str
    era: str = ""
    region: str = ""
    mechanisms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "era": self.era, "region": self.region,
                "paper": self.paper, "mechanisms": list(self.mechanisms), "periods":
                [self.first_period, self.last_period], "clients": list(self.clients),
                "patrons": list(self.patrons), "expected": self.expected}


def list_cases() -> list[CaseInfo]:
    """The built-in cases (validated), sorted by their first period.

    Title, paper, era, region and mechanisms come from the case's expected-outcome file.

    Examples
    --------
    >>> [c.id for c in list_cases() if c.paper != "library"][:2]
    ['grand-alliance-1941', 'yugoslavia-1948']
    """
    from ..scenario import builtin_case_ids, load_scenario
    from .expected import EXPECTED

    out = []
    for cid in builtin_case_ids():
        s = load_scenario(cid)
        exp = EXPECTED.get(cid)
        out.append(CaseInfo(id=cid, title=exp.title if exp else s.metadata.title,
                            paper=exp.paper if exp else "",
                            first_period=str(s.periods[0]), last_period=str(s.periods[-1]),
                            clients=tuple(s.clients), patrons=tuple(s.patrons),
                            expected=exp.expected if exp else "", era=exp.era if exp else "",
                            region=exp.region if exp else "",
                            mechanisms=exp.mechanisms if exp else ()))
    return sorted(out, key=lambda c: (c.first_period, c.id))


def check_cases() -> list[str]:
    """Validate every built-in scenario and expected-outcome file and the names linking them.

    Every scenario in ``cases/data`` must have an expected file in ``cases/expected`` and vice versa;
    each expected file must validate and name only clients, periods, patrons and factions of its
    scenario. Returns the checked ids; raises a one-line :class:`~alliancelab.InputError` otherwise.
    """
    from .._exceptions import InputError
    from ..scenario import builtin_case_ids, load_scenario
    from .expected import check_case, expected_ids

    scenarios, expected = builtin_case_ids(), expected_ids()
    for cid in sorted(set(scenarios) - set(expected)):
        raise InputError("no expected-outcome file for this scenario; allowed: add "
                         f"cases/expected/{cid}.yaml", source=f"cases/data/{cid}.yaml")
    for cid in sorted(set(expected) - set(scenarios)):
        raise InputError("no scenario for this expected outcome; allowed: add "
                         f"cases/data/{cid}.yaml", source=f"cases/expected/{cid}.yaml")
    for cid in expected:
        check_case(cid, load_scenario(cid))
    return expected
