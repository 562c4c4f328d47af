"""The eligibility engine in the application's terms: a program and a unit in, a verdict with sentences out.

The rules themselves are pure (`lvchuang/lib/eligibility.py`); this module reads the program's rules and the
unit's titles from the database and turns each finding into a sentence that cites the rule. The same verdict
guards `create_application` and `submit_application` and is shown on the application page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lvchuang.campaigns.models import Program
from lvchuang.lib import eligibility as engine
from lvchuang.organisations.models import Unit
from lvchuang.titles.models import Title


@dataclass(frozen=True)
class Line:
    rule: str
    outcome: str
    refuses: bool
    text: str


@dataclass(frozen=True)
class Explained:
    verdict: engine.Verdict
    lines: tuple[Line, ...]

    @property
    def eligible(self) -> bool:
        return self.verdict.eligible

    @property
    def exempt(self) -> bool:
        return self.verdict.exempt

    @property
    def refusals(self) -> list[str]:
        return [line.text for line in self.lines if line.refuses]

    def as_json(self) -> list[dict[str, str | bool]]:
        return [
            {"rule": line.rule, "outcome": line.outcome, "refuses": line.refuses, "text": line.text}
            for line in self.lines
        ]


def program_rules(program: Program) -> engine.ProgramRules:
    prerequisite = program.prerequisite
    return engine.ProgramRules(
        code=program.code,
        name=program.name,
        unit_kinds=tuple(program.unit_kinds),
        organ_types=tuple(program.organ_types),
        prerequisite_code=prerequisite.code if prerequisite else None,
        prerequisite_name=prerequisite.name if prerequisite else "",
        cooldown_years=program.cooldown_years,
        skip_level_allowed=program.skip_level_allowed,
        exempt_codes=tuple(p.code for p in program.exempt_programs.all()),
    )


def unit_facts(unit: Unit) -> engine.UnitFacts:
    titles = Title.objects.filter(unit=unit).select_related("program")
    return engine.UnitFacts(
        kind=unit.kind,
        organ_type=unit.organ_type,
        titles=tuple(
            engine.HeldTitle(
                program_code=t.program.code,
                program_name=t.program.name,
                named_on=t.named_on,
                status=t.status,
                valid_until=t.valid_until,
            )
            for t in titles
        ),
    )


def explain(
    program: Program,
    unit: Unit,
    *,
    today: datetime.date,
    consent: engine.Consent | None = None,
) -> Explained:
    verdict = engine.evaluate(program_rules(program), unit_facts(unit), today=today, consent=consent)
    lines = tuple(
        Line(str(f.rule), str(f.outcome), f.refuses, _sentence(f, program, unit))
        for f in verdict.findings
        if f.outcome is not engine.Outcome.NOT_APPLICABLE
    )
    return Explained(verdict, lines)


def _day(text: str) -> str:
    day = parse_date(text)
    return date_format(day) if day else text


def _sentence(finding: engine.Finding, program: Program, unit: Unit) -> str:
    facts = finding.facts
    outcome = finding.outcome
    match finding.rule:
        case engine.Rule.UNIT_KIND:
            kinds = "、".join(str(Unit.Kind(k).label) for k in program.unit_kinds)
            if outcome is engine.Outcome.MET:
                return _("单位类别“%(kind)s”在“%(program)s”的申报范围内。") % {
                    "kind": unit.get_kind_display(),
                    "program": program.name,
                }
            return _("“%(program)s”只接受%(kinds)s申报，本单位为“%(kind)s”。") % {
                "program": program.name,
                "kinds": kinds,
                "kind": unit.get_kind_display(),
            }
        case engine.Rule.ORGAN_TYPE:
            if outcome is engine.Outcome.MET:
                return _("机关类型“%(type)s”在创建范围内。") % {"type": unit.get_organ_type_display()}
            return _("机关类型“%(type)s”不在“%(program)s”的创建范围内。") % {
                "type": unit.get_organ_type_display() or _("未填写"),
                "program": program.name,
            }
        case engine.Rule.PREREQUISITE:
            name = facts.get("prerequisite", "")
            if outcome is engine.Outcome.MET:
                return _("已于 %(date)s 获得前置称号“%(title)s”。") % {
                    "date": _day(facts["named_on"]),
                    "title": name,
                }
            if outcome is engine.Outcome.SKIP_LEVEL:
                return _("未获得“%(title)s”，经组委会同意越级申报（%(document)s，%(date)s）。") % {
                    "title": name,
                    "document": facts["document"],
                    "date": _day(facts["given_on"]),
                }
            if outcome is engine.Outcome.CONSENT_NEEDED:
                return _(
                    "须先获得“%(title)s”称号；本项目允许越级申报，但须由组织单位登记组委会的同意后方可提交。"
                ) % {"title": name}
            return _("须先获得“%(title)s”称号方可申报“%(program)s”。") % {
                "title": name,
                "program": program.name,
            }
        case engine.Rule.COOLDOWN:
            if "until" not in facts:
                return _("此前未获得“%(program)s”称号，不受 %(years)s 年内不重复申报的限制。") % {
                    "program": program.name,
                    "years": facts["years"],
                }
            if outcome is engine.Outcome.MET:
                return _("上次获得该称号为 %(named)s，已满 %(years)s 年。") % {
                    "named": _day(facts["named_on"]),
                    "years": facts["years"],
                }
            return _(
                "已于 %(named)s 获得“%(program)s”称号，%(years)s 年内不得重复申报，%(until)s 起方可再次申报。"
            ) % {
                "named": _day(facts["named_on"]),
                "program": program.name,
                "years": facts["years"],
                "until": _day(facts["until"]),
            }
        case engine.Rule.EXEMPTION:
            return _("已于 %(date)s 获得“%(title)s”称号，原则上不再进行评价验收（免于评价）。") % {
                "date": _day(facts["named_on"]),
                "title": facts["title"],
            }
    return str(finding.rule)  # pragma: no cover - every rule is handled above
