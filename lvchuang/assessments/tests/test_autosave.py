"""/assessments/<id>/items/<item_id>/: the sheet saves each item as it is typed (htmx), or by a plain POST."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvchuang.assessments.models import ItemResponse
from lvchuang.assessments.tests.helpers import leaf

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(assessment, item):
    return f"/assessments/{assessment.pk}/items/{item.pk}/"


def data(item, **values):
    return {f"item-{item.pk}-{name}": value for name, value in values.items()}


def test_it_saves_one_items_answer_and_answers_with_the_time_the_meter_and_the_result(
    client, world, assessment
):
    item = leaf(assessment.version, "1.1")
    client.force_login(world.user("unit"))

    response = client.post(url(assessment, item), data(item, points="8.5", narrative="已发文"), **HTMX)

    assert response.status_code == 200
    saved = ItemResponse.objects.get(assessment=assessment, item=item)
    assert (saved.points, saved.narrative) == (Decimal("8.5"), "已发文")
    body = response.content.decode()
    assert f'id="item-{item.pk}-status"' in body
    assert "已保存 " in body
    # The meter, the result panel and the subtotal of the item's area come along out of band.
    assert 'id="assessment-summary" hx-swap-oob="true"' in body
    assert "<strong>1</strong> / 7" in body
    assert f'id="subtotal-{item.parent_id}" hx-swap-oob="true">8.5 / 30 分' in body
    # The inputs are not sent back: what the user types meanwhile stays where it is.
    assert 'name="item-' not in body


def test_it_shows_an_error_inline_keeps_nothing_and_sends_no_input_back(client, world, assessment, answer):
    item = leaf(assessment.version, "1.1")
    answer("1.1", points=Decimal("6"), narrative="原来的说明")
    client.force_login(world.user("unit"))

    response = client.post(url(assessment, item), data(item, points="12", narrative="新的说明"), **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert "未保存：请更正标出的问题" in body
    assert f'id="item-{item.pk}-points-errors" hx-swap-oob="true"' in body
    assert "分值应在 0 到 10 分之间。" in body
    assert 'name="item-' not in body  # the typed "12" stays in the user's input, untouched
    saved = ItemResponse.objects.get(assessment=assessment, item=item)
    assert (saved.points, saved.narrative) == (Decimal("6"), "原来的说明")


def test_it_says_what_is_wrong_with_text_that_is_not_a_number(client, world, assessment):
    item = leaf(assessment.version, "2.1")
    client.force_login(world.user("unit"))

    response = client.post(url(assessment, item), data(item, points="七分", narrative=""), **HTMX)

    assert "请输入数字，如 8 或 7.5。" in response.content.decode()
    assert not ItemResponse.objects.exists()


def test_it_saves_a_basic_condition_as_met_or_not(client, world, assessment):
    item = leaf(assessment.version, "3.1")
    client.force_login(world.user("unit"))

    client.post(url(assessment, item), data(item, met="no", narrative="满意度 76%"), **HTMX)

    assert ItemResponse.objects.get(item=item).met is False


def test_it_redirects_back_to_the_item_after_a_plain_post(client, world, assessment):
    item = leaf(assessment.version, "1.1")
    client.force_login(world.user("furong"))

    response = client.post(url(assessment, item), data(item, points="9", narrative=""))

    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/#item-{item.pk}"
    assert ItemResponse.objects.get(item=item).updated_by == world.user("furong")


def test_it_shows_the_whole_page_with_the_typed_value_after_an_invalid_plain_post(client, world, assessment):
    item = leaf(assessment.version, "1.1")
    client.force_login(world.user("unit"))

    response = client.post(url(assessment, item), data(item, points="12", narrative="写了一半的说明"))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="12"' in body
    assert "写了一半的说明" in body
    assert "分值应在 0 到 10 分之间。" in body
    assert not ItemResponse.objects.exists()


def test_it_refuses_a_leadership_member_who_may_only_read(client, world, assessment):
    item = leaf(assessment.version, "1.1")
    client.force_login(world.user("leader"))

    response = client.post(url(assessment, item), data(item, points="8"), **HTMX)

    assert response.status_code == 403
    assert not ItemResponse.objects.exists()


@pytest.mark.parametrize("who", ["tianxin", "outsider", "tianxin_unit"])
def test_it_answers_404_to_a_sibling_district_and_to_outsiders(client, world, assessment, who):
    item = leaf(assessment.version, "1.1")
    client.force_login(world.user(who))

    response = client.post(url(assessment, item), data(item, points="8"), **HTMX)

    assert response.status_code == 404
    assert not ItemResponse.objects.exists()


def test_it_answers_404_for_an_item_of_another_version(client, world, assessment):
    from lvchuang.assessments.tests.helpers import make_version

    other = leaf(make_version(code="other"), "1.1")
    client.force_login(world.user("unit"))

    assert client.post(url(assessment, other), data(other, points="8"), **HTMX).status_code == 404


def test_it_refuses_changes_to_a_completed_self_assessment(client, world, assessment, answer):
    from lvchuang.assessments import services
    from lvchuang.assessments.tests.helpers import PASSING

    for code, values in PASSING.items():
        answer(code, **values)
    services.complete_assessment(by=world.user("unit"), assessment=assessment)
    item = leaf(assessment.version, "1.1")
    client.force_login(world.user("unit"))

    response = client.post(url(assessment, item), data(item, points="1", narrative=""), **HTMX)

    assert "自评已完成，不能再修改" in response.content.decode()
    assert ItemResponse.objects.get(item=item).points == Decimal("10")
