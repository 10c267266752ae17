"""The built-in cases shipped in ``alliancelab/cases/data/*.yaml``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CaseInfo", "list_cases"]


@dataclass(frozen=True)
class CaseInfo:
    """One built-in case: id, title, paper, span, clients and patrons."""

    id: str
    title: str
    paper: str
    first_period: str
    last_period: str
    clients: tuple[str, ...]
    patrons: tuple[str, ...]
    expected: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "paper": self.paper, "periods":
                [self.first_period, self.last_period], "clients": list(self.clients),
                "patrons": list(self.patrons), "expected": self.expected}


def list_cases() -> list[CaseInfo]:
    """The built-in cases (validated), sorted by their first period.

    Examples
    --------
    >>> [c.id for c in list_cases()][:2]
    ['grand-alliance-1941', 'yugoslavia-1948']
    """
    from ..scenario import builtin_case_ids, load_scenario
    from .expected import EXPECTED

    out = []
    for cid in builtin_case_ids():
        s = load_scenario(cid)
        exp = EXPECTED.get(cid)
        out.append(CaseInfo(id=cid, title=s.metadata.title, paper=exp.paper if exp else "",
                            first_period=str(s.periods[0]), last_period=str(s.periods[-1]),
                            clients=tuple(s.clients), patrons=tuple(s.patrons),
                            expected=exp.expected if exp else ""))
    return sorted(out, key=lambda c: (c.first_period, c.id))
