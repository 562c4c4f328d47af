"""The top bar: links to the pages the user's roles let them open, and who they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvchuang.accounts import access
from lvchuang.accounts.models import Role
from lvchuang.meetings.selectors import liaison_department_ids
from lvchuang.standards import access as standards_access


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    jurisdiction = access.jurisdiction_of(user)
    regional = jurisdiction.is_admin or bool(jurisdiction.all_paths)  # an office, a body or the administrator
    sector = bool(jurisdiction.sector_ids)
    links: list[tuple[str | Promise, str, bool]] = [
        (_("首页"), "home", True),
        (pgettext_lazy("navigation", "行政区划"), "regions:list", regional),
        (pgettext_lazy("navigation", "创建单位"), "organisations:unit_list", not jurisdiction.is_empty),
        (pgettext_lazy("navigation", "自评"), "assessments:list", not jurisdiction.is_empty),
        (pgettext_lazy("navigation", "创建活动"), "campaigns:campaign_list", not jurisdiction.is_empty),
        (pgettext_lazy("navigation", "我的申报"), "applications:mine", bool(jurisdiction.own_unit_ids)),
        (pgettext_lazy("navigation", "待我处理"), "applications:queue", regional or sector),
        (pgettext_lazy("navigation", "申报表"), "applications:batch_list", regional or sector),
        (pgettext_lazy("navigation", "我的评审"), "reviews:my_reviews", Role.REVIEWER in jurisdiction.roles),
        (pgettext_lazy("navigation", "公示命名"), "notices:list", regional),
        (pgettext_lazy("navigation", "称号"), "titles:list", not jurisdiction.is_empty),
        (pgettext_lazy("navigation", "复核整改"), "supervision:reinspection_list", regional),
        (
            pgettext_lazy("navigation", "整改通知"),
            "supervision:order_list",
            bool(jurisdiction.own_unit_ids) and not regional,
        ),
        (pgettext_lazy("navigation", "目标进度"), "targets:target_list", regional),
        (
            pgettext_lazy("navigation", "能源台账"),
            "ledgers:overview",
            regional or sector or bool(jurisdiction.own_unit_ids),
        ),
        (pgettext_lazy("navigation", "材料报送"), "reports:my_submissions", not jurisdiction.is_empty),
        (pgettext_lazy("navigation", "联席会议"), "meetings:body_list", regional),
        (
            pgettext_lazy("navigation", "我的议定事项"),
            "meetings:my_items",
            Role.LEADERSHIP_MEMBER in jurisdiction.roles and bool(liaison_department_ids(user)),
        ),
        (pgettext_lazy("navigation", "日程"), "agenda:calendar", True),
        (
            pgettext_lazy("navigation", "评价标准"),
            "standards:library",
            standards_access.can_read_library(user),
        ),
        (pgettext_lazy("navigation", "创建办"), "organisations:office_list", regional),
        (pgettext_lazy("navigation", "部门"), "organisations:department_list", regional or sector),
        (pgettext_lazy("navigation", "领导机构"), "organisations:body_list", regional),
        (pgettext_lazy("navigation", "用户"), "accounts:user_list", regional or sector),
        (pgettext_lazy("navigation", "审计记录"), "audit:list", access.can_view_audit(user)),
        (pgettext_lazy("navigation", "公众门户"), "portal:home", True),
    ]
    items = []
    for label, name, allowed in links:
        if not allowed:
            continue
        url = reverse(name)
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append(NavItem(label=label, url=url, active=active))
    role_labels = [role.label for role in Role if role in jurisdiction.roles]
    if jurisdiction.is_admin and Role.SYSTEM_ADMIN not in jurisdiction.roles:
        role_labels.append(Role.SYSTEM_ADMIN.label)
    return {"nav_items": items, "nav_role_labels": role_labels}
