"""The targets pages: list, create, edit, milestones, the dashboard with drill-down and exports, quota usage."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from lvchuang.organisations.models import Office, Unit
from lvchuang.targets import services
from lvchuang.targets.caching import registry_changed
from lvchuang.targets.models import CoverageTarget
from lvchuang.targets.tests.conftest import region, titled, units

D = datetime.date


def client_for(world, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


@pytest.fixture
def green(world, programs):
    """The city's seed 004 target; 芙蓉区 has 3 of its 6 communities titled, 天心区 1 of 6."""
    target = services.create_target_from_preset(
        by=world.user("city"),
        office=world.city_office,
        preset="seed004-green-communities",
        starts_on=D(2020, 6, 1),
        name="长沙市绿色社区覆盖率",
    )
    furong = units(world.furong_street, 5)
    tianxin = units(world.tianxin_street, 5)
    titled(furong[:3], programs.green_community, D(2021, 10, 1))
    titled(tianxin[:1], programs.green_community, D(2022, 3, 1))
    return target


def detail(target: CoverageTarget, **query: str) -> str:
    url = reverse("targets:target_detail", args=[target.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- list ---------------------------------------------------------------------------------------------------


def test_it_lists_targets_with_the_status_of_the_users_region(world, green, django_assert_num_queries):
    client = client_for(world, "furong")
    client.get(reverse("targets:target_list"))  # warm the session
    registry_changed()  # so the grids are computed again, not read from the cache
    with django_assert_num_queries(
        9
    ):  # session, user, roles, count, page, programs, milestones, regions, 1 per target
        response = client.get(reverse("targets:target_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "长沙市绿色社区覆盖率" in text
    assert "芙蓉区" in text  # the region judged is the user's own
    assert 'class="stat' not in text


def test_an_outsider_and_unit_staff_see_no_targets(world, green):
    for name in ("outsider", "unit"):
        response = client_for(world, name).get(reverse("targets:target_list"))
        assert response.status_code == 200
        assert "长沙市绿色社区覆盖率" not in response.content.decode()


def test_a_deactivated_target_leaves_the_default_list(world, green):
    response = client_for(world, "city").post(
        reverse("targets:target_active", args=[green.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    green.refresh_from_db()
    assert green.is_active is False
    client = client_for(world, "city")
    assert "长沙市绿色社区覆盖率" not in client.get(reverse("targets:target_list")).content.decode()
    assert "长沙市绿色社区覆盖率" in client.get(reverse("targets:target_list") + "?all=1").content.decode()


def test_a_district_cannot_deactivate_the_citys_target(world, green):
    response = client_for(world, "furong").post(
        reverse("targets:target_active", args=[green.pk]), {"active": "0"}
    )
    assert response.status_code == 403
    green.refresh_from_db()
    assert green.is_active is True


# --- create -------------------------------------------------------------------------------------------------


def test_it_creates_a_target_from_a_preset(world, programs):
    response = client_for(world, "furong").post(
        reverse("targets:target_create"),
        {
            "mode": "preset",
            "preset-office": world.furong_office.pk,
            "preset-preset": "national-green-communities",
            "preset-starts_on": "2020-07-01",
            "preset-name": "",
        },
    )
    target = CoverageTarget.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:target_detail", args=[target.pk])
    assert target.name == "绿色社区创建行动：60% 以上的城市社区达到创建要求"
    assert target.office == world.furong_office
    assert list(target.programs.all()) == [programs.green_community]
    assert [(m.due_on, m.share) for m in target.milestones.all()] == [(D(2022, 12, 31), Decimal(60))]
    assert target.created_by == world.user("furong")


def test_it_creates_a_blank_target_and_asks_for_milestones(world, programs):
    response = client_for(world, "furong").post(
        reverse("targets:target_create"),
        {
            "mode": "blank",
            "blank-office": world.furong_office.pk,
            "blank-name": "芙蓉区节约型机关",
            "blank-programs": [programs.organ.pk],
            "blank-unit_kind": "organ",
            "blank-organ_levels": ["county"],
            "blank-starts_on": "2024-01-01",
            "blank-source": "芙蓉区实施方案",
        },
    )
    target = CoverageTarget.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:target_milestones", args=[target.pk])
    assert target.organ_levels == ["county"]


def test_it_keeps_the_input_when_a_program_does_not_suit_the_unit_kind(world, programs):
    response = client_for(world, "furong").post(
        reverse("targets:target_create"),
        {
            "mode": "blank",
            "blank-office": world.furong_office.pk,
            "blank-name": "芙蓉区学校覆盖率",
            "blank-programs": [programs.green_community.pk],
            "blank-unit_kind": "school",
            "blank-starts_on": "2024-01-01",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "不授予该类单位" in text
    assert "芙蓉区学校覆盖率" in text
    assert not CoverageTarget.objects.exists()


def test_a_district_cannot_set_a_target_for_the_city_office(world, programs):
    response = client_for(world, "furong").post(
        reverse("targets:target_create"),
        {
            "mode": "preset",
            "preset-office": world.city_office.pk,
            "preset-preset": "national-green-communities",
            "preset-starts_on": "2020-07-01",
        },
    )
    assert response.status_code == 400  # the city office is not among the choices
    assert not CoverageTarget.objects.exists()


def test_unit_staff_cannot_open_the_create_page(world):
    assert client_for(world, "unit").get(reverse("targets:target_create")).status_code == 403


# --- edit and milestones ------------------------------------------------------------------------------------


def test_it_edits_a_target(world, green, programs):
    response = client_for(world, "city").post(
        reverse("targets:target_edit", args=[green.pk]),
        {
            "name": "长沙市绿色社区达标率",
            "programs": [programs.green_community.pk, programs.city_community.pk],
            "unit_kind": "community",
            "starts_on": "2020-06-01",
            "source": "长沙市方案",
        },
    )
    assert response.status_code == 302
    green.refresh_from_db()
    assert green.name == "长沙市绿色社区达标率"
    assert set(green.programs.all()) == {programs.green_community, programs.city_community}


def test_a_district_may_read_but_not_edit_the_citys_target(world, green):
    client = client_for(world, "furong")
    assert client.get(detail(green)).status_code == 200
    assert client.get(reverse("targets:target_edit", args=[green.pk])).status_code == 403
    assert client.get(reverse("targets:target_milestones", args=[green.pk])).status_code == 403


def test_it_replaces_the_milestones(world, green):
    data = {
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-due_on": "2021-12-31",
        "milestones-0-share": "30",
        "milestones-1-due_on": "2022-12-31",
        "milestones-1-share": "60",
        "milestones-1-count": "8",
        "milestones-2-due_on": "",
    }
    response = client_for(world, "city").post(reverse("targets:target_milestones", args=[green.pk]), data)
    assert response.status_code == 302
    assert [(m.due_on, m.share, m.count) for m in green.milestones.all()] == [
        (D(2021, 12, 31), 30, None),
        (D(2022, 12, 31), 60, 8),
    ]


def test_it_refuses_a_later_milestone_asking_for_less(world, green):
    data = {
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-due_on": "2021-12-31",
        "milestones-0-share": "60",
        "milestones-1-due_on": "2022-12-31",
        "milestones-1-share": "50",
    }
    response = client_for(world, "city").post(reverse("targets:target_milestones", args=[green.pk]), data)
    assert response.status_code == 400
    assert "后一阶段不能要求更少" in response.content.decode()
    assert [m.due_on for m in green.milestones.all()] == [D(2021, 12, 31), D(2022, 12, 31)]  # unchanged


# --- the dashboard ------------------------------------------------------------------------------------------


def test_the_city_sees_its_districts_with_status_and_drill_down_links(world, green):
    response = client_for(world, "city").get(detail(green, as_of="2022-06-30"))
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        f"?as_of=2022-06-30&amp;region={world.furong.code}" in text or f"region={world.furong.code}" in text
    )
    assert "芙蓉区" in text
    assert "天心区" in text
    assert "进度正常" in text or "已达标" in text
    assert "<svg" in text
    assert "<script" not in text.split("<main", 1)[1]  # the charts carry no script


def test_a_district_sees_only_its_own_subtree(world, green):
    client = client_for(world, "furong")
    response = client.get(detail(green, as_of="2022-06-30"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "文艺路街道" in text
    assert "天心区" not in text
    assert client.get(detail(green, region=world.tianxin.code)).status_code == 404
    assert client.get(detail(green, region=world.city.code)).status_code == 404
    assert client.get(detail(green, region=world.furong_street.code)).status_code == 200
    assert client.get(detail(green, region="999999999999")).status_code == 404


def test_an_outsider_and_a_sibling_cannot_open_a_districts_target(world, programs):
    target = services.create_target_from_preset(
        by=world.user("furong"),
        office=world.furong_office,
        preset="national-green-communities",
        starts_on=D(2020, 7, 1),
    )
    for name in ("tianxin", "outsider", "tianxin_unit"):
        assert client_for(world, name).get(detail(target)).status_code == 404
    assert client_for(world, "city").get(detail(target)).status_code == 200
    # The city cannot open a region outside the target's.
    assert client_for(world, "city").get(detail(target, region=world.tianxin.code)).status_code == 404


def test_a_malformed_date_is_refused(world, green):
    assert client_for(world, "city").get(detail(green, as_of="2022-13-01")).status_code == 400


def test_the_unit_list_shows_covered_and_uncovered_units(world, green):
    client = client_for(world, "furong")
    response = client.get(detail(green, view="units", units="uncovered", as_of="2022-06-30"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "识字岭社区居委会" in text
    assert "共 3 条" in text
    covered = client.get(detail(green, view="units", units="covered", as_of="2022-06-30")).content.decode()
    assert "共 3 条" in covered
    assert "识字岭社区居委会" not in covered


def _more_districts(world, count: int) -> None:
    for number in range(count):
        code = f"4301{11 + number:02d}000000"
        district = region(world.city, code, f"新区{number}")
        Office.objects.create(name=f"新区{number}创建办", region=district)
        units(district, 2)


@pytest.mark.parametrize("extra_districts", [0, 4])
def test_the_dashboard_query_count_does_not_grow_with_the_regions(
    world, green, extra_districts, django_assert_num_queries
):
    _more_districts(world, extra_districts)
    client = client_for(world, "city")
    client.get(detail(green))  # warm the session
    with django_assert_num_queries(
        9
    ):  # session, user, roles, target, programs, milestones, children, grid, trail
        response = client.get(detail(green, as_of="2022-06-30"))
    assert response.status_code == 200
    assert response.content.decode().count("?as_of=2022-06-30&amp;region=4301") == 2 + extra_districts


def test_the_excel_export_has_the_four_sheets(world, green):
    response = client_for(world, "city").get(
        reverse("targets:target_export_xlsx", args=[green.pk]) + "?as_of=2022-06-30"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["按地区", "按主管部门", "逐年趋势", "单位"]
    regions = [row for row in book["按地区"].iter_rows(values_only=True) if row[0]]
    assert regions[2][:4] == ("芙蓉区", 6, 3, 50.0)
    assert book["单位"].max_row == 1 + 12


def test_the_pdf_export_names_the_target(world, green):
    response = client_for(world, "furong").get(reverse("targets:target_export_pdf", args=[green.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = text.replace("\x00", "").replace(" ", "")
    assert "长沙市绿色社区覆盖率" in text
    assert "芙蓉区" in text


def test_the_exports_are_scoped_like_the_dashboard(world, green):
    client = client_for(world, "furong")
    for name in ("targets:target_export_xlsx", "targets:target_export_pdf"):
        url = reverse(name, args=[green.pk])
        assert client.get(url + f"?region={world.tianxin.code}").status_code == 404
        assert client_for(world, "outsider").get(url).status_code == 404


def test_the_sector_table_shows_the_sector_authoritys_units(world, green, programs):
    schools = Unit.objects.filter(sector=world.education_bureau)
    assert schools.exists()
    text = client_for(world, "city").get(detail(green)).content.decode()
    assert "属地管理（无主管部门）" in text


def test_the_create_page_offers_the_presets_and_the_users_offices(world):
    response = client_for(world, "city").get(reverse("targets:target_create"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "省直机关节约型机关比例（安徽分年度目标）" in text
    assert "芙蓉区创建办" in text  # an office below the city's
    assert "湖南省创建办" not in text  # not an office above it


def test_the_milestones_page_shows_the_current_milestones(world, green):
    response = client_for(world, "city").get(reverse("targets:target_milestones", args=[green.pk]))
    assert response.status_code == 200
    assert 'value="2021-12-31"' in response.content.decode()
