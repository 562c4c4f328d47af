"""The pure eligibility engine, one test per rule, and a few properties that hold for any program and unit."""

from __future__ import annotations

import datetime
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from lvchuang.lib.eligibility import (
    Consent,
    HeldTitle,
    Outcome,
    ProgramRules,
    Rule,
    UnitFacts,
    Verdict,
    add_years,
    evaluate,
)

TODAY = datetime.date(2026, 6, 15)
CITY = ProgramRules(
    code="city",
    name="市级节能环保社区",
    unit_kinds=("community",),
    prerequisite_code="district",
    prerequisite_name="区级节能环保社区",
    cooldown_years=3,
)
properties = settings(max_examples=60, derandomize=True, deadline=None)


def title(
    code: str, named_on: datetime.date, status: str = "valid", valid_until: datetime.date | None = None
) -> HeldTitle:
    return HeldTitle(
        program_code=code, program_name=code, named_on=named_on, status=status, valid_until=valid_until
    )


def community(*titles: HeldTitle) -> UnitFacts:
    return UnitFacts(kind="community", titles=titles)


def finding(verdict: Verdict, rule: Rule) -> Outcome:
    return next(f.outcome for f in verdict.findings if f.rule is rule)


DISTRICT_TITLE = title("district", datetime.date(2024, 12, 20))


# --- unit kind and organ type -------------------------------------------------------------------------------


def test_it_accepts_a_unit_of_an_eligible_kind():
    verdict = evaluate(CITY, community(DISTRICT_TITLE), today=TODAY)
    assert finding(verdict, Rule.UNIT_KIND) is Outcome.MET
    assert verdict.eligible


def test_it_refuses_a_unit_of_another_kind():
    verdict = evaluate(CITY, UnitFacts(kind="school", titles=(DISTRICT_TITLE,)), today=TODAY)
    assert finding(verdict, Rule.UNIT_KIND) is Outcome.NOT_MET
    assert not verdict.eligible
    assert [f.rule for f in verdict.refusals] == [Rule.UNIT_KIND]


def test_it_does_not_ask_about_the_kind_when_the_program_takes_any():
    verdict = evaluate(ProgramRules(code="any", name="任何"), UnitFacts(kind="enterprise"), today=TODAY)
    assert finding(verdict, Rule.UNIT_KIND) is Outcome.NOT_APPLICABLE
    assert verdict.eligible


def test_it_accepts_an_organ_of_a_listed_type_and_refuses_one_of_another():
    organs = ProgramRules(
        code="organ", name="节约型机关", unit_kinds=("organ",), organ_types=("government", "court")
    )
    government = evaluate(organs, UnitFacts(kind="organ", organ_type="government"), today=TODAY)
    enterprise_like = evaluate(organs, UnitFacts(kind="organ", organ_type="other"), today=TODAY)
    unknown = evaluate(organs, UnitFacts(kind="organ"), today=TODAY)
    assert finding(government, Rule.ORGAN_TYPE) is Outcome.MET
    assert government.eligible
    assert finding(enterprise_like, Rule.ORGAN_TYPE) is Outcome.NOT_MET
    assert not enterprise_like.eligible
    assert finding(unknown, Rule.ORGAN_TYPE) is Outcome.NOT_MET


def test_it_asks_the_organ_type_only_of_organs():
    programs = ProgramRules(code="p", name="p", organ_types=("government",))
    verdict = evaluate(programs, UnitFacts(kind="school"), today=TODAY)
    assert finding(verdict, Rule.ORGAN_TYPE) is Outcome.NOT_APPLICABLE


# --- prerequisite ---------------------------------------------------------------------------------------------


def test_it_accepts_a_unit_holding_the_prerequisite_and_cites_the_date():
    verdict = evaluate(CITY, community(DISTRICT_TITLE), today=TODAY)
    prerequisite = next(f for f in verdict.findings if f.rule is Rule.PREREQUISITE)
    assert prerequisite.outcome is Outcome.MET
    assert prerequisite.facts["named_on"] == "2024-12-20"


def test_it_refuses_a_unit_without_the_prerequisite():
    verdict = evaluate(CITY, community(), today=TODAY)
    assert finding(verdict, Rule.PREREQUISITE) is Outcome.NOT_MET
    assert not verdict.eligible


def test_a_skip_level_program_still_refuses_until_consent_is_recorded():
    skipping = replace(CITY, skip_level_allowed=True)
    verdict = evaluate(skipping, community(), today=TODAY)
    assert finding(verdict, Rule.PREREQUISITE) is Outcome.CONSENT_NEEDED
    assert not verdict.eligible
    assert not verdict.by_skip_level


def test_a_skip_level_program_accepts_with_the_committees_consent_and_cites_it():
    skipping = replace(CITY, skip_level_allowed=True)
    consent = Consent(document="市创绿组委〔2026〕5号", given_on=datetime.date(2026, 5, 8))
    verdict = evaluate(skipping, community(), today=TODAY, consent=consent)
    prerequisite = next(f for f in verdict.findings if f.rule is Rule.PREREQUISITE)
    assert prerequisite.outcome is Outcome.SKIP_LEVEL
    assert prerequisite.facts["document"] == "市创绿组委〔2026〕5号"
    assert verdict.eligible
    assert verdict.by_skip_level


def test_consent_does_not_help_where_the_program_allows_no_skip():
    consent = Consent(document="文", given_on=datetime.date(2026, 5, 8))
    verdict = evaluate(CITY, community(), today=TODAY, consent=consent)
    assert finding(verdict, Rule.PREREQUISITE) is Outcome.NOT_MET


def test_a_revoked_prerequisite_does_not_count():
    revoked = title("district", datetime.date(2024, 12, 20), status="revoked")
    assert finding(evaluate(CITY, community(revoked), today=TODAY), Rule.PREREQUISITE) is Outcome.NOT_MET


def test_an_expired_prerequisite_does_not_count():
    lapsed = title("district", datetime.date(2020, 12, 20), valid_until=datetime.date(2025, 12, 19))
    expired = title("district", datetime.date(2020, 12, 20), status="expired")
    assert finding(evaluate(CITY, community(lapsed), today=TODAY), Rule.PREREQUISITE) is Outcome.NOT_MET
    assert finding(evaluate(CITY, community(expired), today=TODAY), Rule.PREREQUISITE) is Outcome.NOT_MET


def test_a_prerequisite_under_rectification_still_counts():
    rectifying = title("district", datetime.date(2024, 12, 20), status="under_rectification")
    assert finding(evaluate(CITY, community(rectifying), today=TODAY), Rule.PREREQUISITE) is Outcome.MET


# --- cooldown -------------------------------------------------------------------------------------------------


def test_it_refuses_a_second_application_within_three_years_and_says_from_when():
    held = title("city", datetime.date(2024, 12, 20))
    verdict = evaluate(CITY, community(DISTRICT_TITLE, held), today=datetime.date(2027, 12, 19))
    cooldown = next(f for f in verdict.findings if f.rule is Rule.COOLDOWN)
    assert cooldown.outcome is Outcome.NOT_MET
    assert cooldown.facts["until"] == "2027-12-20"
    assert not verdict.eligible


def test_it_allows_the_application_on_the_day_the_cooldown_ends():
    held = title("city", datetime.date(2024, 12, 20))
    verdict = evaluate(CITY, community(DISTRICT_TITLE, held), today=datetime.date(2027, 12, 20))
    assert finding(verdict, Rule.COOLDOWN) is Outcome.MET
    assert verdict.eligible


def test_a_cooldown_from_29_february_ends_on_28_february_of_a_common_year():
    held = title("city", datetime.date(2024, 2, 29))
    before = evaluate(CITY, community(DISTRICT_TITLE, held), today=datetime.date(2027, 2, 27))
    on = evaluate(CITY, community(DISTRICT_TITLE, held), today=datetime.date(2027, 2, 28))
    assert finding(before, Rule.COOLDOWN) is Outcome.NOT_MET
    assert finding(on, Rule.COOLDOWN) is Outcome.MET
    assert add_years(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)


def test_the_cooldown_counts_from_the_latest_naming():
    older = title("city", datetime.date(2019, 12, 20))
    latest = title("city", datetime.date(2025, 12, 20))
    verdict = evaluate(CITY, community(DISTRICT_TITLE, older, latest), today=TODAY)
    assert finding(verdict, Rule.COOLDOWN) is Outcome.NOT_MET


def test_a_unit_that_never_held_the_title_is_not_held_back():
    assert finding(evaluate(CITY, community(DISTRICT_TITLE), today=TODAY), Rule.COOLDOWN) is Outcome.MET


# --- exemption ----------------------------------------------------------------------------------------------


ORGANS = ProgramRules(code="organ", name="节约型机关", unit_kinds=("organ",), exempt_codes=("demonstration",))


def test_a_unit_holding_an_exempting_title_is_eligible_and_exempt():
    held = title("demonstration", datetime.date(2023, 11, 1))
    verdict = evaluate(ORGANS, UnitFacts(kind="organ", titles=(held,)), today=TODAY)
    assert finding(verdict, Rule.EXEMPTION) is Outcome.EXEMPT
    assert verdict.eligible
    assert verdict.exempt


def test_a_revoked_exempting_title_exempts_nothing():
    held = title("demonstration", datetime.date(2023, 11, 1), status="revoked")
    verdict = evaluate(ORGANS, UnitFacts(kind="organ", titles=(held,)), today=TODAY)
    assert finding(verdict, Rule.EXEMPTION) is Outcome.NOT_APPLICABLE
    assert verdict.eligible
    assert not verdict.exempt


def test_an_ineligible_unit_is_never_exempt():
    held = title("demonstration", datetime.date(2023, 11, 1))
    verdict = evaluate(ORGANS, UnitFacts(kind="school", titles=(held,)), today=TODAY)
    assert not verdict.eligible
    assert not verdict.exempt


# --- properties -----------------------------------------------------------------------------------------------

days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2060, 12, 31))
statuses = st.sampled_from(["valid", "under_rectification", "expired", "revoked"])
held_titles = st.builds(title, st.sampled_from(["district", "city", "demonstration"]), days, statuses)
units = st.builds(
    UnitFacts,
    kind=st.sampled_from(["community", "organ", "school"]),
    organ_type=st.sampled_from(["", "government", "court"]),
    titles=st.lists(held_titles, max_size=4).map(tuple),
)
programs = st.builds(
    ProgramRules,
    code=st.just("city"),
    name=st.just("市级"),
    unit_kinds=st.sampled_from([(), ("community",), ("organ", "school")]),
    prerequisite_code=st.sampled_from([None, "district"]),
    cooldown_years=st.sampled_from([None, 1, 3, 5]),
    skip_level_allowed=st.booleans(),
    exempt_codes=st.sampled_from([(), ("demonstration",)]),
)


@properties
@given(programs, units, days)
def test_eligible_means_no_finding_refuses(program, unit, today):
    verdict = evaluate(program, unit, today=today)
    assert verdict.eligible == (not verdict.refusals)
    assert [f.rule for f in verdict.findings] == list(Rule)  # every rule answers, in a fixed order
    if verdict.exempt:
        assert verdict.eligible


@properties
@given(programs, units, days, st.integers(min_value=1, max_value=3000))
def test_a_refused_cooldown_is_lifted_by_waiting_and_never_comes_back(program, unit, today, wait):
    verdict = evaluate(program, unit, today=today)
    later = evaluate(program, unit, today=today + datetime.timedelta(days=wait))
    if finding(verdict, Rule.COOLDOWN) is Outcome.MET:
        assert finding(later, Rule.COOLDOWN) is Outcome.MET
    if program.cooldown_years and finding(verdict, Rule.COOLDOWN) is Outcome.NOT_MET:
        cooldown = next(f for f in verdict.findings if f.rule is Rule.COOLDOWN)
        until = datetime.date.fromisoformat(cooldown.facts["until"])
        assert finding(evaluate(program, unit, today=until), Rule.COOLDOWN) is Outcome.MET


@properties
@given(programs, units, days)
def test_consent_never_makes_a_unit_less_eligible(program, unit, today):
    consent = Consent(document="同意", given_on=today)
    if evaluate(program, unit, today=today).eligible:
        assert evaluate(program, unit, today=today, consent=consent).eligible
