"""The self-assessment sheet in a real browser: autosave as one types, inline errors, evidence, the phone meter.

识字岭's staff (`unit`) fill in a self-assessment against the small community standard of the assessments'
tests (lvchuang/assessments/tests/helpers.py): 1.1 is worth 10 points in area 1 (30 points), 4.1 is the bonus.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lvchuang.assessments import services
from lvchuang.assessments.models import Evidence, ItemResponse, SelfAssessment
from lvchuang.assessments.tests.helpers import leaf, make_version, png_bytes
from lvchuang.standards.models import Item
from tests.browser.helpers import BROWSER_TEST, PHONE, log_in, mark_page, page_was_kept

pytestmark = BROWSER_TEST


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence goes to a fresh folder per test, never into var/media (the live server shares the settings)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def assessment(world) -> SelfAssessment:
    return services.start_assessment(by=world.user("unit"), unit=world.furong_unit, version=make_version())


def open_sheet(page: Any, live_server: Any, assessment: SelfAssessment) -> None:
    log_in(page, live_server, "unit")
    page.goto(live_server.url + reverse("assessments:detail", args=[assessment.pk]))


def points_input(page: Any, item: Item) -> Any:
    return page.locator(f"input[name='item-{item.pk}-points']")


def status_of(page: Any, item: Item) -> Any:
    return page.locator(f"#item-{item.pk}-status")


def result_total(page: Any) -> Any:
    return page.locator("#assessment-summary .result-score strong")


def stored_points(assessment: SelfAssessment, item: Item) -> Decimal | None:
    response = ItemResponse.objects.filter(assessment=assessment, item=item).first()
    return None if response is None else response.points


def test_it_saves_points_as_they_are_typed_and_keeps_them_after_a_reload(page, live_server, assessment):
    item = leaf(assessment.version, "1.1")
    open_sheet(page, live_server, assessment)
    expect(result_total(page)).to_have_text("0")
    expect(page.locator("#sheet-progress")).to_be_hidden()  # the one-line meter is for narrow screens only
    mark_page(page)

    points_input(page, item).press_sequentially("8")  # typed, nothing clicked, nothing submitted

    expect(status_of(page, item)).to_contain_text("已保存")
    expect(status_of(page, item)).to_have_class(re.compile(r"\bsave-status-saved\b"))
    expect(result_total(page)).to_have_text("8")
    expect(page.locator(".meter-numbers strong")).to_have_text("1")
    expect(page.locator(f"#subtotal-{item.parent_id}")).to_have_text("8 / 30 分")
    assert page_was_kept(page), "autosave must not reload the page"
    assert stored_points(assessment, item) == Decimal("8")

    page.reload()

    expect(points_input(page, item)).to_have_value("8")
    expect(status_of(page, item)).to_contain_text("上次保存")
    expect(result_total(page)).to_have_text("8")


def test_it_shows_an_out_of_range_value_inline_keeps_it_in_the_box_and_stores_nothing(
    page, live_server, world, assessment
):
    item = leaf(assessment.version, "1.1")
    services.save_answer(
        by=world.user("unit"), assessment=assessment, item=item, points=Decimal("8"), met=None, narrative=""
    )
    open_sheet(page, live_server, assessment)
    errors = page.locator(f"#item-{item.pk}-points-errors")
    expect(points_input(page, item)).to_have_value("8")

    points_input(page, item).fill("12")  # 1.1 is worth 10 points

    expect(errors).to_contain_text("分值应在 0 到 10 分之间。")
    expect(status_of(page, item)).to_contain_text("未保存：请更正标出的问题")
    expect(points_input(page, item)).to_have_value("12")  # the answer did not replace what was typed
    expect(result_total(page)).to_have_text("8")
    assert stored_points(assessment, item) == Decimal("8")

    points_input(page, item).fill("9")  # corrected: the error goes and the new value is saved

    expect(status_of(page, item)).to_contain_text("已保存")
    expect(errors).to_be_empty()
    expect(result_total(page)).to_have_text("9")
    assert stored_points(assessment, item) == Decimal("9")


def test_it_uploads_an_image_as_evidence_and_shows_its_thumbnail(page, live_server, assessment):
    item = leaf(assessment.version, "1.1")
    image = png_bytes(size=(64, 48))
    open_sheet(page, live_server, assessment)
    block = page.locator(f"#item-{item.pk}-evidence")
    expect(block.locator(".evidence-file")).to_have_count(0)
    mark_page(page)

    # Choosing the file is enough: the form posts itself on "change".
    block.locator("input[type=file]").set_input_files(
        files=[{"name": "公示栏.png", "mimeType": "image/png", "buffer": image}]
    )

    expect(block.locator(".evidence-file")).to_have_count(1)
    link = block.locator(".evidence-name a")
    expect(link).to_have_text("公示栏.png")
    thumbnail = block.locator(".evidence-preview img")
    expect(thumbnail).to_be_visible()
    # The thumbnail is not only in the markup: the browser fetched and decoded it.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle(), timeout=5_000
    )
    assert page_was_kept(page)
    evidence = Evidence.objects.get(response__assessment=assessment, response__item=item)
    assert (evidence.original_name, evidence.content_type) == ("公示栏.png", "image/png")
    expect(link).to_have_attribute(
        "href", reverse("assessments:evidence_file", args=[assessment.pk, evidence.pk])
    )
    download = page.request.get(live_server.url + link.get_attribute("href"))
    assert download.ok
    assert download.body() == image


@pytest.mark.parametrize("viewport", [PHONE], indirect=True)
def test_it_keeps_the_completeness_meter_at_the_top_of_a_phone_screen(page, live_server, assessment):
    bonus = leaf(assessment.version, "4.1")  # the last item of the sheet
    open_sheet(page, live_server, assessment)
    meter = page.locator("#sheet-progress")
    expect(meter).to_be_visible()
    expect(meter).to_contain_text("已填 0/7")

    points_input(page, bonus).scroll_into_view_if_needed()
    # Scrolled far down the sheet, the meter stays pinned to the top of the screen.
    page.wait_for_function(
        """() => {
            const top = document.getElementById("sheet-progress").getBoundingClientRect().top;
            return window.scrollY > 400 && top >= 0 && top < 1;
        }""",
        timeout=5_000,
    )
    expect(meter).to_be_in_viewport()

    points_input(page, bonus).press_sequentially("3")

    expect(meter).to_contain_text("已填 1/7")
    expect(meter.locator("strong")).to_have_text("3")
    expect(meter).to_be_in_viewport()
