"""The eligibility engine: may this unit apply for this program now, and why (or why not).

Pure functions over plain data, no Django. Each rule gives a `Finding` with a stable code and the facts it relied
on; the application layer turns the code into a sentence in the user's language. The rules come from the seeds:

- unit kind and organ type (seed 000: built administrative communities; seed 003: the organ types it lists);
- the prerequisite title (seed 000: a city title requires the district title), unless the program allows a skip
  with the committee's consent and the consent is recorded (seed 002);
- the cooldown (seed 000: no second application for the same title within 3 years of being named);
- exemptions (seed 003: units already named 公共机构节约型示范单位 are not evaluated again) — eligible, exempt.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

IN_FORCE = frozenset({"valid", "under_rectification"})  # a title being rectified is still held


class Rule(StrEnum):
    UNIT_KIND = "unit_kind"
    ORGAN_TYPE = "organ_type"
    PREREQUISITE = "prerequisite"
    COOLDOWN = "cooldown"
    EXEMPTION = "exemption"


class Outcome(StrEnum):
    MET = "met"  # the rule is satisfied
    NOT_MET = "not_met"  # the rule refuses the application
    SKIP_LEVEL = "skip_level"  # prerequisite missing, but the committee's consent is recorded
    CONSENT_NEEDED = "consent_needed"  # prerequisite missing; a skip is allowed once consent is recorded
    EXEMPT = "exempt"  # eligible, and spared the evaluation
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class HeldTitle:
    program_code: str
    program_name: str
    named_on: datetime.date
    status: str
    valid_until: datetime.date | None = None

    def in_force(self, today: datetime.date) -> bool:
        return self.status in IN_FORCE and (self.valid_until is None or today <= self.valid_until)


@dataclass(frozen=True)
class ProgramRules:
    code: str
    name: str
    unit_kinds: tuple[str, ...] = ()
    organ_types: tuple[str, ...] = ()
    prerequisite_code: str | None = None
    prerequisite_name: str = ""
    cooldown_years: int | None = None
    skip_level_allowed: bool = False
    exempt_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitFacts:
    kind: str
    organ_type: str = ""
    titles: tuple[HeldTitle, ...] = ()


@dataclass(frozen=True)
class Consent:
    """The committee's consent to a skip-level application (越级申报), as recorded."""

    document: str
    given_on: datetime.date


@dataclass(frozen=True)
class Finding:
    rule: Rule
    outcome: Outcome
    facts: dict[str, str] = field(default_factory=dict)

    @property
    def refuses(self) -> bool:
        return self.outcome in (Outcome.NOT_MET, Outcome.CONSENT_NEEDED)


@dataclass(frozen=True)
class Verdict:
    findings: tuple[Finding, ...]

    @property
    def eligible(self) -> bool:
        return not any(finding.refuses for finding in self.findings)

    @property
    def exempt(self) -> bool:
        return self.eligible and any(f.outcome is Outcome.EXEMPT for f in self.findings)

    @property
    def by_skip_level(self) -> bool:
        return any(f.outcome is Outcome.SKIP_LEVEL for f in self.findings)

    @property
    def refusals(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.refuses)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February falls back to the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def evaluate(
    program: ProgramRules, unit: UnitFacts, *, today: datetime.date, consent: Consent | None = None
) -> Verdict:
    return Verdict(
        (
            _unit_kind(program, unit),
            _organ_type(program, unit),
            _prerequisite(program, unit, today, consent),
            _cooldown(program, unit, today),
            _exemption(program, unit, today),
        )
    )


def _unit_kind(program: ProgramRules, unit: UnitFacts) -> Finding:
    if not program.unit_kinds:
        return Finding(Rule.UNIT_KIND, Outcome.NOT_APPLICABLE)
    outcome = Outcome.MET if unit.kind in program.unit_kinds else Outcome.NOT_MET
    return Finding(Rule.UNIT_KIND, outcome, {"kind": unit.kind, "allowed": ",".join(program.unit_kinds)})


def _organ_type(program: ProgramRules, unit: UnitFacts) -> Finding:
    if not program.organ_types or unit.kind != "organ":
        return Finding(Rule.ORGAN_TYPE, Outcome.NOT_APPLICABLE)
    outcome = Outcome.MET if unit.organ_type in program.organ_types else Outcome.NOT_MET
    return Finding(Rule.ORGAN_TYPE, outcome, {"organ_type": unit.organ_type or "-"})


def _latest(titles: Sequence[HeldTitle], code: str) -> HeldTitle | None:
    matching = [t for t in titles if t.program_code == code]
    return max(matching, key=lambda t: t.named_on) if matching else None


def _prerequisite(
    program: ProgramRules, unit: UnitFacts, today: datetime.date, consent: Consent | None
) -> Finding:
    if program.prerequisite_code is None:
        return Finding(Rule.PREREQUISITE, Outcome.NOT_APPLICABLE)
    facts = {"prerequisite": program.prerequisite_name}
    held = [t for t in unit.titles if t.program_code == program.prerequisite_code and t.in_force(today)]
    if held:
        title = max(held, key=lambda t: t.named_on)
        return Finding(Rule.PREREQUISITE, Outcome.MET, facts | {"named_on": title.named_on.isoformat()})
    if not program.skip_level_allowed:
        return Finding(Rule.PREREQUISITE, Outcome.NOT_MET, facts)
    if consent is None:
        return Finding(Rule.PREREQUISITE, Outcome.CONSENT_NEEDED, facts)
    return Finding(
        Rule.PREREQUISITE,
        Outcome.SKIP_LEVEL,
        facts | {"document": consent.document, "given_on": consent.given_on.isoformat()},
    )


def _cooldown(program: ProgramRules, unit: UnitFacts, today: datetime.date) -> Finding:
    if not program.cooldown_years:
        return Finding(Rule.COOLDOWN, Outcome.NOT_APPLICABLE)
    latest = _latest(unit.titles, program.code)
    if latest is None:
        return Finding(Rule.COOLDOWN, Outcome.MET, {"years": str(program.cooldown_years)})
    until = add_years(latest.named_on, program.cooldown_years)
    facts = {
        "years": str(program.cooldown_years),
        "named_on": latest.named_on.isoformat(),
        "until": until.isoformat(),
    }
    return Finding(Rule.COOLDOWN, Outcome.MET if today >= until else Outcome.NOT_MET, facts)


def _exemption(program: ProgramRules, unit: UnitFacts, today: datetime.date) -> Finding:
    if not program.exempt_codes:
        return Finding(Rule.EXEMPTION, Outcome.NOT_APPLICABLE)
    for title in sorted(unit.titles, key=lambda t: t.named_on, reverse=True):
        if title.program_code in program.exempt_codes and title.in_force(today):
            return Finding(
                Rule.EXEMPTION,
                Outcome.EXEMPT,
                {"title": title.program_name, "named_on": title.named_on.isoformat()},
            )
    return Finding(Rule.EXEMPTION, Outcome.NOT_APPLICABLE)
