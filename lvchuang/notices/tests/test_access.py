"""Who sees notices and cases, and who learns the objector's identity: only the office that issued the notice."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lvchuang.notices import access
from lvchuang.notices.tests.conftest import objection


def test_the_city_notice_is_seen_in_the_districts_and_managed_by_the_city(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.notice()
    for name in ("city", "province", "furong", "tianxin", "street", "unit", "admin"):
        assert access.visible_notices(sc.user(name)).filter(pk=notice.pk).exists(), name
    assert not access.visible_notices(sc.user("outsider")).exists()
    assert access.access_notice_by_id(sc.user("city"), notice.pk, for_change=True) == notice
    with pytest.raises(PermissionDenied):
        access.access_notice_by_id(sc.user("furong"), notice.pk, for_change=True)
    with pytest.raises(Http404):
        access.access_notice_by_id(sc.user("outsider"), notice.pk)


def test_a_district_notice_is_hidden_from_the_sibling_district(district_campaign):
    dc = district_campaign
    notice = dc.notice()
    assert access.visible_notices(dc.user("city")).filter(pk=notice.pk).exists()
    assert access.visible_notices(dc.user("furong")).filter(pk=notice.pk).exists()
    assert not access.visible_notices(dc.user("tianxin")).filter(pk=notice.pk).exists()
    with pytest.raises(Http404):
        access.access_notice_by_id(dc.user("tianxin"), notice.pk)


def test_cases_belong_to_the_offices_running_the_campaign_never_to_the_unit(district_campaign):
    dc = district_campaign
    notice = dc.open_notice()
    case = objection(notice, dc.entry(notice, "荷花池"))
    for name in ("furong", "city", "province", "admin"):
        assert access.access_objection_by_id(dc.user(name), case.pk) == case, name
    for name in ("tianxin", "street", "unit", "leader", "outsider"):
        with pytest.raises(Http404):
            access.access_objection_by_id(dc.user(name), case.pk)


def test_identity_is_hidden_from_the_city_office_when_the_notice_is_the_districts(district_campaign):
    dc = district_campaign
    notice = dc.open_notice()
    case = objection(notice, dc.entry(notice, "荷花池"))
    assert access.can_see_objector(dc.user("furong"), case)
    for name in ("city", "province", "admin", "street"):
        assert not access.can_see_objector(dc.user(name), case), name


def test_identity_of_a_city_notice_is_for_the_city_office_only(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    case = objection(notice, sc.entry(notice, "识字岭"))
    assert access.can_see_objector(sc.user("city"), case)
    for name in ("furong", "province", "admin"):
        assert not access.can_see_objector(sc.user(name), case), name
