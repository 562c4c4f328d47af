"""The pages: the library, the standard editor with its htmx rows, copying, publishing, confirming, the diff."""

from __future__ import annotations

from decimal import Decimal

from lvchuang.standards import services
from lvchuang.standards.models import Item, Standard, StandardVersion
from lvchuang.standards.tests.factories import NAME, draft_for
from lvchuang.web.tests.helpers import queries_for

HTMX = {"HX-Request": "true"}


def editor(version: StandardVersion) -> str:
    return f"/standards/versions/{version.pk}/"


# --- the library ----------------------------------------------------------------------------------------------


def test_the_library_lists_every_standard_with_its_versions_and_the_to_confirm_badge(client, world, draft):
    client.force_login(world.user("tianxin"))
    response = client.get("/standards/")
    body = response.content.decode()
    assert response.status_code == 200
    assert NAME in body
    assert "芙蓉区创建办" in body
    assert "节约型公共机构示范单位评价标准" in body
    assert "系统内置" in body
    # six built-ins, the draft, and the sentence that explains the badge
    assert body.count('class="badge badge-missing">待确认</span>') == 8
    assert "使用前须由维护单位核对" in body  # the sentence that explains the badge
    assert "草稿" in body
    assert "已发布" in body


def test_the_library_is_closed_to_a_user_without_any_role(client, world, draft):
    client.force_login(world.user("outsider"))
    response = client.get("/standards/")
    assert response.status_code == 403
    assert NAME not in response.content.decode()


def test_the_library_costs_the_same_number_of_queries_however_many_standards(client, world, draft):
    client.force_login(world.user("furong"))
    before = queries_for(client, "/standards/")
    for number in range(5):
        services.copy_version(
            by=None, version=draft_for(world.tianxin_office, code=f"extra-{number}", name=f"标准{number}")
        )
    # session, user, roles, count, page, versions, the user's offices
    assert queries_for(client, "/standards/") == before == 7


# --- the editor -----------------------------------------------------------------------------------------------


def test_the_editor_shows_the_tree_with_running_sums_and_edit_controls_to_the_owner(client, world, draft):
    client.force_login(world.user("furong"))
    body = client.get(editor(draft)).content.decode()
    assert "各领域合计 100 分 / 满分 100 分" in body
    assert "加分项 5 分（上限 5 分）" in body
    assert "成立创建工作领导小组" in body
    assert "评分细则：有成立文件得 20 分" in body
    assert f"/standards/items/{draft.items.get(code='1.1').pk}/edit/" in body
    assert 'hx-target="closest tr"' in body
    assert "发布" in body
    assert "已核对，确认默认值" in body


def test_the_editor_warns_when_the_areas_do_not_add_up_to_the_full_marks(client, world, draft):
    services.update_item(by=None, item=draft.items.get(code="1.2"), changes={"max_points": Decimal("30")})
    client.force_login(world.user("furong"))
    body = client.get(editor(draft)).content.decode()
    assert "各领域合计 90 分 / 满分 100 分" in body
    assert "分值还对不上，暂不能发布" in body
    assert "与标准满分 100 分不一致" in body
    assert "tree-sum-off" in body
    assert "不足" in body


def test_the_editor_costs_the_same_number_of_queries_however_many_items(client, world, draft):
    client.force_login(world.user("furong"))
    before = queries_for(client, editor(draft))
    area = draft.items.get(code="1")
    for number in range(3, 13):
        services.add_item(
            by=None,
            version=draft,
            parent=area,
            code=f"1.{number}",
            title=f"条目{number}",
            kind="scored",
            max_points=Decimal(1),
        )
    # session, user, roles, the version, its items, its bands, the list of versions, the user's offices
    assert queries_for(client, editor(draft)) == before == 8


def test_a_locked_version_shows_the_banner_and_no_edit_controls(client, world, draft):
    services.lock_version(by=None, version=draft, reason="2025 年芙蓉区绿色社区创建")
    client.force_login(world.user("furong"))
    body = client.get(editor(draft)).content.decode()
    assert "已被创建活动使用，不可修改；请复制为新版本。" in body
    assert "2025 年芙蓉区绿色社区创建" in body
    assert "/edit/" not in body
    assert "添加子项" not in body
    assert "已核对，确认默认值" not in body
    assert "复制为新版本" in body


def test_a_write_to_a_locked_version_is_refused_with_the_reason_and_changes_nothing(client, world, draft):
    item = draft.items.get(code="1.1")
    services.lock_version(by=None, version=draft, reason="活动")
    client.force_login(world.user("furong"))
    response = client.post(
        f"/standards/items/{item.pk}/edit/",
        {"code": "1.1", "title": "改", "kind": "scored", "max_points": "20"},
    )
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "已被创建活动使用，不可修改；请复制为新版本。" in follow
    item.refresh_from_db()
    assert item.title == "成立创建工作领导小组"
    response = client.post(f"/standards/items/{item.pk}/delete/", headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert Item.objects.filter(pk=item.pk).exists()


def test_a_district_office_reads_a_built_in_standard_but_cannot_edit_it(client, world, builtin):
    client.force_login(world.user("furong"))
    body = client.get(editor(builtin)).content.decode()
    assert "节约型公共机构示范单位评价标准" in body
    assert "/edit/" not in body
    assert "复制为本单位标准" in body
    item = builtin.items.first()
    assert client.get(f"/standards/items/{item.pk}/edit/").status_code == 403
    assert client.post(f"/standards/versions/{builtin.pk}/copy/").status_code == 403
    assert client.post(f"/standards/versions/{builtin.pk}/confirm/").status_code == 403
    assert builtin.standard.versions.count() == 1


def test_a_district_office_copies_a_built_in_standard_into_its_own_and_edits_the_copy(client, world, builtin):
    client.force_login(world.user("furong"))
    form = client.get(f"/standards/versions/{builtin.pk}/adopt/")
    assert form.status_code == 200
    assert "芙蓉区创建办" in form.content.decode()
    response = client.post(
        f"/standards/versions/{builtin.pk}/adopt/",
        {"owner": world.furong_office.pk, "name": "芙蓉区节约型公共机构标准"},
    )
    copy = StandardVersion.objects.get(standard__name="芙蓉区节约型公共机构标准")
    assert response.status_code == 302
    assert response["Location"] == editor(copy)
    assert copy.standard.owner == world.furong_office
    assert copy.based_on == builtin
    body = client.get(editor(copy)).content.decode()
    assert f"/standards/items/{copy.items.get(code='1').pk}/edit/" in body
    # … but not into another office's hands
    response = client.post(
        f"/standards/versions/{builtin.pk}/adopt/", {"owner": world.tianxin_office.pk, "name": "x"}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_a_unit_reads_the_library_but_cannot_copy(client, world, builtin):
    client.force_login(world.user("unit"))
    assert client.get(editor(builtin)).status_code == 200
    assert client.get(f"/standards/versions/{builtin.pk}/adopt/").status_code == 403
    assert client.get("/standards/new/").status_code == 403


def test_an_outsider_gets_404_for_every_version_and_item(client, world, draft):
    client.force_login(world.user("outsider"))
    item = draft.items.first()
    for url in (editor(draft), f"/standards/versions/{draft.pk}/diff/", f"/standards/items/{item.pk}/edit/"):
        assert client.get(url).status_code == 404


# --- editing rows with htmx -------------------------------------------------------------------------------------


def test_editing_a_row_returns_the_form_row_and_saving_returns_the_whole_tree(client, world, draft):
    item = draft.items.get(code="1.1")
    client.force_login(world.user("furong"))
    row = client.get(f"/standards/items/{item.pk}/edit/", headers=HTMX)
    body = row.content.decode()
    assert body.lstrip().startswith(f'<tr id="item-{item.pk}" class="item-editing">')
    assert 'value="成立创建工作领导小组"' in body

    saved = client.post(
        f"/standards/items/{item.pk}/edit/",
        {
            "code": "1.1",
            "title": "成立领导小组",
            "kind": "scored",
            "max_points": "25",
            "guidance": "",
            "evidence_required": "",
        },
        headers=HTMX,
    )
    tree = saved.content.decode()
    assert tree.lstrip().startswith('<section id="standard-tree"')
    assert "成立领导小组" in tree
    assert "各领域合计 100 分" in tree
    assert "高于其下级条目" not in tree
    item.refresh_from_db()
    assert (item.title, item.max_points) == ("成立领导小组", Decimal("25"))


def test_a_refused_row_keeps_the_input_and_is_swapped_in_place(client, world, draft):
    item = draft.items.get(code="1.1")
    client.force_login(world.user("furong"))
    response = client.post(
        f"/standards/items/{item.pk}/edit/",
        {"code": "1.2", "title": "我的新名称", "kind": "scored", "max_points": "abc"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response["HX-Retarget"] == f"#item-{item.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert 'value="我的新名称"' in body
    assert "输入一个数字" in body
    response = client.post(
        f"/standards/items/{item.pk}/edit/",
        {"code": "1.2", "title": "我的新名称", "kind": "scored", "max_points": "20"},
        headers=HTMX,
    )
    assert "编号 1.2 在该版本中已被使用" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "成立创建工作领导小组"


def test_adding_a_sub_item_suggests_the_next_code_and_puts_it_under_its_parent(client, world, draft):
    area = draft.items.get(code="1")
    client.force_login(world.user("furong"))
    row = client.get(
        f"/standards/versions/{draft.pk}/items/new/?parent={area.pk}", headers=HTMX
    ).content.decode()
    assert 'value="1.3"' in row
    assert f'name="parent" value="{area.pk}"' in row
    tree = client.post(
        f"/standards/versions/{draft.pk}/items/new/",
        {"parent": area.pk, "code": "1.3", "title": "档案台账", "kind": "scored", "max_points": "5"},
        headers=HTMX,
    ).content.decode()
    assert "档案台账" in tree
    assert "封顶 60" in tree
    assert draft.items.get(code="1.3").parent == area


def test_moving_and_deleting_rows(client, world, draft):
    client.force_login(world.user("furong"))
    second = draft.items.get(code="1.2")
    client.post(f"/standards/items/{second.pk}/move/", {"direction": "up"}, headers=HTMX)
    body = client.get(editor(draft)).content.decode()
    assert body.index("制定年度工作计划") < body.index("成立创建工作领导小组")
    response = client.post(f"/standards/items/{draft.items.get(code='1').pk}/delete/")
    assert response.status_code == 302
    assert not draft.items.filter(code__startswith="1").exists()


def test_the_same_forms_work_without_scripts(client, world, draft):
    client.force_login(world.user("furong"))
    page = client.get(f"/standards/versions/{draft.pk}/items/new/")
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    response = client.post(
        f"/standards/versions/{draft.pk}/items/new/",
        {"code": "4", "title": "宣传教育", "kind": "area", "max_points": "0"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(editor(draft))


def test_version_fields_and_bands_are_edited_on_the_editor_and_errors_keep_the_input(client, world, draft):
    client.force_login(world.user("furong"))
    response = client.post(
        f"/standards/versions/{draft.pk}/edit/",
        {"label": "修订版", "total_points": "100", "pass_line": "150", "bonus_cap": "5", "notes": "说明"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "合格线不能高于满分与加分上限之和" in body
    assert 'value="修订版"' in body
    response = client.post(
        f"/standards/versions/{draft.pk}/edit/",
        {
            "label": "修订版",
            "total_points": "100",
            "pass_line": "85",
            "bonus_cap": "5",
            "applies_to": ["community", "school"],
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.label, draft.pass_line, draft.applies_to) == (
        "修订版",
        Decimal("85"),
        ["community", "school"],
    )

    response = client.post(
        f"/standards/versions/{draft.pk}/bands/new/", {"band-name": "优秀", "band-min_score": "95"}
    )
    assert response.status_code == 400
    assert "已有名为“优秀”的等次" in response.content.decode()
    client.post(f"/standards/versions/{draft.pk}/bands/new/", {"band-name": "良好", "band-min_score": "85"})
    band = draft.grade_bands.get(name="良好")
    response = client.post(
        f"/standards/bands/{band.pk}/edit/",
        {f"band-{band.pk}-name": "良好", f"band-{band.pk}-min_score": "90"},
    )
    assert response.status_code == 400
    assert "已有最低分为 90 分的等次" in response.content.decode()
    client.post(f"/standards/bands/{band.pk}/delete/")
    assert not draft.grade_bands.filter(name="良好").exists()


# --- copy, publish, confirm -------------------------------------------------------------------------------------


def test_copy_publish_and_confirm_from_the_editor(client, world, draft):
    client.force_login(world.user("furong"))
    response = client.post(f"/standards/versions/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == StandardVersion.Status.PUBLISHED
    assert "该版本已发布，内容不再修改" in client.get(editor(draft)).content.decode()

    response = client.post(f"/standards/versions/{draft.pk}/copy/")
    copy = draft.standard.versions.get(number=2)
    assert response["Location"] == editor(copy)
    client.post(f"/standards/versions/{copy.pk}/confirm/")
    copy.refresh_from_db()
    assert not copy.needs_confirmation
    assert copy.confirmed_by == world.user("furong")
    body = client.get(editor(copy)).content.decode()
    assert "默认值已由 furong" in body


def test_publishing_an_inconsistent_draft_says_why(client, world, draft):
    services.update_item(by=None, item=draft.items.get(code="2"), changes={"max_points": Decimal("10")})
    client.force_login(world.user("furong"))
    body = client.post(f"/standards/versions/{draft.pk}/publish/", follow=True).content.decode()
    assert "该版本还不能发布" in body
    assert "与标准满分 100 分不一致" in body
    draft.refresh_from_db()
    assert draft.status == StandardVersion.Status.DRAFT


def test_creating_a_standard_from_scratch(client, world):
    client.force_login(world.user("furong"))
    response = client.post(
        "/standards/new/",
        {
            "owner": world.furong_office.pk,
            "name": "芙蓉区垃圾分类示范单位标准",
            "code": "furong-waste",
            "total_points": "100",
            "pass_line": "80",
            "bonus_cap": "0",
            "applies_to": ["organ"],
        },
    )
    standard = Standard.objects.get(code="furong-waste")
    assert response.status_code == 302
    assert standard.owner == world.furong_office
    duplicate = client.post(
        "/standards/new/",
        {
            "owner": world.furong_office.pk,
            "name": "x",
            "code": "furong-waste",
            "total_points": "100",
            "pass_line": "80",
            "bonus_cap": "0",
        },
    )
    assert "标准代码“furong-waste”已被使用" in duplicate.content.decode()


# --- export and diff --------------------------------------------------------------------------------------------


def test_export_in_the_three_formats(client, world, draft):
    client.force_login(world.user("tianxin"))
    for fmt, start in (("xlsx", b"PK"), ("yaml", b"format: lvchuang-standard/1"), ("json", b"{")):
        response = client.get(f"/standards/versions/{draft.pk}/export/{fmt}/")
        assert response.status_code == 200
        assert response.content.startswith(start)
        assert f'filename="furong-community-v1.{fmt}"' in response["Content-Disposition"]
    assert client.get(f"/standards/versions/{draft.pk}/export/csv/").status_code == 404


def test_the_diff_page_shows_added_removed_and_changed_items_with_before_and_after(client, world, draft):
    services.publish_version(by=None, version=draft)
    copy = services.copy_version(by=None, version=draft)
    services.update_item(
        by=None,
        item=copy.items.get(code="1.1"),
        changes={"title": "成立领导小组", "max_points": Decimal("25")},
    )
    services.update_item(by=None, item=copy.items.get(code="1.2"), changes={"max_points": Decimal("35")})
    services.delete_item(by=None, item=copy.items.get(code="3"))
    services.add_item(
        by=None, version=copy, parent=None, code="4", title="宣传教育", kind="scored", max_points=Decimal("5")
    )
    services.update_version(by=None, version=copy, changes={"pass_line": Decimal("85")})

    client.force_login(world.user("furong"))
    response = client.get(f"/standards/versions/{copy.pk}/diff/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["against"] == draft
    assert response.context["counts"] == {"added": 1, "removed": 1, "changed": 2}
    assert '<span class="change-before">成立创建工作领导小组</span>' in body
    assert '<span class="change-after">成立领导小组</span>' in body
    assert '<span class="change-before">80</span>' in body
    assert '<span class="change-after">85</span>' in body
    assert "diff-added" in body
    assert "diff-removed" in body
    assert "创新做法" in body

    other = client.get(f"/standards/versions/{draft.pk}/diff/?against={copy.pk}")
    assert other.context["counts"] == {"added": 1, "removed": 1, "changed": 2}
