"""The demo's self-assessments: a community that passes with evidence, an organ that fails on its ★ item."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lvchuang.assessments.models import Evidence, ItemResponse, SelfAssessment
from lvchuang.assessments.selectors import load_sheet
from lvchuang.demo.tests.conftest import write_package
from lvchuang.lib.scoring import Verdict


@pytest.fixture
def demo(db, tmp_path, settings, media):
    settings.DIVISIONS_DIR = tmp_path
    write_package(tmp_path)
    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())


def test_it_completes_a_passing_self_assessment_of_a_community_with_evidence(demo, media):
    assessment = SelfAssessment.objects.get(unit__name="识字里社区居委会")

    assert assessment.version.standard.code == "energy-saving-community"
    assert assessment.status == SelfAssessment.Status.COMPLETED
    assert assessment.passed is True
    assert assessment.explanation[0].startswith("通过：")
    evidence = Evidence.objects.filter(response__assessment=assessment)
    assert {e.content_type for e in evidence} == {"application/pdf", "image/png"}
    assert all((Path(media) / e.file.name).is_file() for e in evidence)
    assert all(e.thumbnail for e in evidence if e.content_type == "image/png")


def test_it_leaves_an_organ_failing_on_its_target_check_with_the_reason_shown(demo):
    assessment = SelfAssessment.objects.get(unit__name="长沙市发展和改革委员会")

    sheet = load_sheet(assessment)

    assert assessment.version.standard.code == "conservation-oriented-organ"
    assert sheet.is_complete
    assert sheet.evaluation.verdict is Verdict.FAILED
    assert sheet.evaluation.failed_vetoes == ("1",)
    assert sheet.evaluation.total >= sheet.evaluation.pass_line  # the score alone would have passed
    assert sheet.evaluation.explanation[0].startswith("未通过：必须完成项「1 强化目标管理")


def test_it_adds_nothing_when_loaded_again(demo):
    counts = (SelfAssessment.objects.count(), ItemResponse.objects.count(), Evidence.objects.count())

    out = StringIO()
    call_command("load_demo", "--i-know-this-is-not-production", stdout=out)

    assert (SelfAssessment.objects.count(), ItemResponse.objects.count(), Evidence.objects.count()) == counts
    # The two of this module's demo; the campaigns' applicants add their own (demo/campaigns.py).
    demo_units = ("识字里社区居委会", "长沙市发展和改革委员会")
    assert SelfAssessment.objects.filter(unit__name__in=demo_units).count() == 2
    assert "未做任何修改" in out.getvalue()
