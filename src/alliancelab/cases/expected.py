"""What each built-in case must reproduce: the papers' outcomes as declarative criteria.

The criteria are data, not code: one evaluator (:mod:`alliancelab.cases.outcomes`) applies the same
small vocabulary to every case, so no case has a code path of its own. Each criterion is checked per
Monte Carlo run; the case's probability is the share of runs in which *all* its criteria hold.

Vocabulary (``client`` defaults to the scenario's primary client):

``event``         ``{"kind", "label", "client"?, "by"?}`` the event happened (at least once, by ``by``,
                  a period label, if given) with that label (a patron or a faction)
``never``         ``{"kind", "label", "client"?, "until"?}`` the event never happened (up to ``until``)
``ruling_at``     ``{"period", "faction", "client"?}`` the faction rules at the end of that period
``aligned_at``    ``{"period", "label", "client"?}`` alignment at the end of that period (a patron name
                  or ``"non-aligned"``)
``not_aligned_through`` ``{"period", "label", "client"?}`` never aligned with ``label`` in any period
                  up to and including ``period``
``type_at``       ``{"period", "atype", "client"?}`` Table 1 type of the alliance at that period

``given`` (optional) lists criteria the probability is conditioned on, for outcomes a paper states
conditionally (paper Y: *if* an ally is disloyal, the response depends on the gap): the probability is
then P(criteria | given). ``secondary`` criteria are reported with their probabilities but are not part
of pass/fail (historical details the papers do not argue, or directions such as E10).

``targets`` (optional) are measured quantities the model should match, used by the calibration
objective and reported by the backtest (not pass criteria): ``{"type": "ruler_share", "period",
"value", "tolerance", "client"?, "source"}`` is the mean mass-support share of the ruling faction at the
end of the period (e.g. the DC's 48.5% of the vote on 18 April 1948).

``timing`` names the event whose first year is compared with history (``kind``, ``label``,
``client``?), and ``year`` the historical year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Expectation", "EXPECTED", "HISTORY"]


@dataclass(frozen=True)
class Expectation:
    """The outcome a paper reports for a case, with its historical timing."""

    case: str
    paper: str
    expected: str
    criteria: tuple[dict[str, Any], ...]
    timing: dict[str, Any]
    year: int
    source: str
    notes: str = ""
    history: tuple[tuple[str, str], ...] = field(default=())
    given: tuple[dict[str, Any], ...] = ()
    secondary: tuple[dict[str, Any], ...] = ()
    targets: tuple[dict[str, Any], ...] = ()


#: Dated historical events drawn on the timeline plots (annotation only: never a model input).
HISTORY: dict[str, tuple[tuple[str, str], ...]] = {
    "italy-1948": (
        ("1947-05-31", "communists out of government"),
        ("1947-06-05", "Marshall Plan announced"),
        ("1948-03-20", "Tripartite note on Trieste"),
        ("1948-03-26", "Molotov: no backing for a rising"),
        ("1948-04-18", "election: DC 48.5%"),
        ("1949-04-04", "North Atlantic Treaty"),
    ),
    "yugoslavia-1948": (
        ("1946-06", "Soviet $9m loan"),
        ("1948-01", "Albanian base (Korce)"),
        ("1948-03-27", "Stalin-Molotov letter"),
        ("1948-06-28", "Cominform expels CPY"),
        ("1949-09", "USSR drops 1945 treaty"),
        ("1951-04", "U.S. $29m military aid"),
        ("1953-03-05", "Stalin dies"),
        ("1955-06-02", "Belgrade Declaration"),
        ("1958", "U.S. mission withdrawn"),
    ),
    "grand-alliance-1941": (
        ("1935-05-02", "Franco-Soviet pact"),
        ("1938-09-30", "Munich"),
        ("1939-08-23", "Nazi-Soviet pact"),
        ("1939-09-01", "war on Poland"),
        ("1940-06-22", "France falls"),
        ("1941-06-22", "Barbarossa"),
        ("1941-07-12", "Anglo-Soviet agreement"),
        ("1942-01-01", "Declaration by UN"),
    ),
    "sino-soviet-1950": (
        ("1950-02-14", "Sino-Soviet treaty"),
        ("1950-10", "China enters Korea"),
        ("1953-07-27", "Korean armistice"),
        ("1956-02-25", "secret speech"),
        ("1956-10", "Poland/Hungary crises"),
        ("1958-08", "joint fleet refused"),
        ("1960-07-16", "Soviet experts withdrawn"),
    ),
    "poland-hungary-1956": (
        ("1955-05-14", "Warsaw Pact"),
        ("1956-02-25", "secret speech"),
        ("1956-06-28", "Poznan rising"),
        ("1956-10-21", "Gomulka in power"),
        ("1956-11-04", "Soviet invasion of Hungary"),
    ),
}


EXPECTED: dict[str, Expectation] = {
    "italy-1948": Expectation(
        case="italy-1948",
        paper="E",
        expected="DC wins the 1948 election and Italy aligns with the U.S. (NATO, 1949)",
        criteria=(
            {"type": "ruling_at", "period": "1948", "faction": "DC"},
            {"type": "aligned_at", "period": "1950", "label": "USA"},
        ),
        timing={"kind": "alliance_formed", "label": "USA"},
        year=1949,
        targets=({"type": "ruler_share", "period": "1947", "value": 0.485, "tolerance": 0.05,
                  "source": "Ministero dell'Interno, Eligendo: Camera 18/4/1948, DC 48.5% of the vote",
                  "note": "compared with the DC's mass support at the end of 1947, going into the April "
                          "1948 vote (the DC is the incumbent then; after the election the ruler's share "
                          "would be the winner's, a selected sample)"},),
        source="paper E, Italy section: DC won; 'its signature under the Washington Treaty'; "
               "'Accession to NATO put an end to the domestic political struggle'",
        notes="E10 (relief after accession) is reported as a direction, not a pass criterion",
    ),
    "yugoslavia-1948": Expectation(
        case="yugoslavia-1948",
        paper="E (+Y)",
        expected="split with the USSR (1948); Tito survives the Soviet-instigated challenge; "
                 "non-aligned/equidistant by 1958",
        criteria=(
            {"type": "event", "kind": "split", "label": "USSR"},
            {"type": "ruling_at", "period": "1958", "faction": "Tito"},
            {"type": "aligned_at", "period": "1958", "label": "non-aligned"},
        ),
        timing={"kind": "split", "label": "USSR"},
        year=1948,
        source="paper E, Yugoslavia section: Cominform resolution June 1948; 'The expectations of regime "
               "change did not come true'; 'a policy of equidistance' after 1958",
    ),
    "grand-alliance-1941": Expectation(
        case="grand-alliance-1941",
        paper="Y",
        expected="no alliance while the threat is unclear (to 1938); the USSR and the UK ally once the "
                 "threat is imminent (1941); an unstable alliance (low disparity)",
        criteria=(
            {"type": "not_aligned_through", "period": "1938", "label": "USSR"},
            {"type": "aligned_at", "period": "1942", "label": "USSR"},
            {"type": "type_at", "period": "1942", "atype": "unstable"},
        ),
        timing={"kind": "alliance_formed", "label": "USSR"},
        year=1941,
        source="paper Y 4.1: the 1939 talks failed; 'The major anti-fascist powers finally came together "
               "in 1942'; Table 1 (high threat, low disparity: unstable); Anglo-Soviet agreement 12 July 1941",
    ),
    "sino-soviet-1950": Expectation(
        case="sino-soviet-1950",
        paper="Y",
        expected="a strong alliance at formation (1950); split or expulsion around 1960 although the "
                 "common enemy remains",
        criteria=(
            {"type": "aligned_at", "period": "1950", "label": "USSR"},
            {"type": "type_at", "period": "1950", "atype": "strong"},
            {"type": "event", "kind": "split", "label": "USSR"},
            {"type": "aligned_at", "period": "1960", "label": "non-aligned"},
        ),
        timing={"kind": "split", "label": "USSR"},
        year=1959,
        source="paper Y 4.2: 'The establishment of the Sino-Soviet alliance in 1950 seemed inevitable'; "
               "'this unbreakable alliance finally broke down in 1950s'; THEORY_MAP: 'split/expulsion around "
               "1958-60' - from Mao's rejection of the joint fleet (1958) to the withdrawal of the Soviet "
               "experts (July 1960, Luthi 2008)",
        notes="historical year 1959 +/- 1 spans THEORY_MAP's 1958-60; a first version used 1960 (the "
              "experts' withdrawal) alone",
    ),
    "poland-hungary-1956": Expectation(
        case="poland-hungary-1956",
        paper="Y",
        expected="a disloyal ally far weaker than the USSR is punished, not expelled (Hungary and Poland 1956)",
        given=({"type": "event", "kind": "split", "label": "USSR", "client": "Hungary"},),
        criteria=(
            {"type": "never", "kind": "expulsion", "label": "USSR", "client": "Hungary"},
            {"type": "never", "kind": "expulsion", "label": "USSR", "client": "Poland"},
        ),
        secondary=(
            {"type": "event", "kind": "split", "label": "USSR", "client": "Hungary"},
            {"type": "event", "kind": "split", "label": "USSR", "client": "Poland"},
            {"type": "aligned_at", "period": "1958", "label": "USSR", "client": "Hungary"},
            {"type": "aligned_at", "period": "1958", "label": "USSR", "client": "Poland"},
        ),
        timing={"kind": "punishment", "label": "USSR", "client": "Hungary"},
        year=1956,
        source="paper Y 3: 'Depending on the width of the power disparity, the Soviet Union would use "
               "punishment (case of Poland and Hungary), or directly expel the challenging state'; invasion "
               "of Hungary 4 Nov 1956, pressure on Poland Oct 1956 (Kramer 1998)",
        notes="conditional on a crisis (disloyalty) with Hungary, as paper Y states it; whether the crisis "
              "happens, and both clients staying in the bloc, are reported as secondary criteria",
    ),
}

for _k, _e in EXPECTED.items():
    object.__setattr__(_e, "history", HISTORY.get(_k, ()))
