"""A version's life: draft, copy, edit, publish, confirm, lock — and who may do which."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.audit.models import AuditEntry
from lvchuang.standards import services
from lvchuang.standards.models import GradeBand, Item, Standard, StandardVersion, VersionLocked
from lvchuang.standards.selectors import document_of


def snapshot(version: StandardVersion) -> tuple[object, ...]:
    version.refresh_from_db()
    return (
        StandardVersion.objects.filter(pk=version.pk).values().get(),
        list(version.items.order_by("pk").values()),
        list(version.grade_bands.order_by("pk").values()),
    )


# --- copy -----------------------------------------------------------------------------------------------------


def test_it_copies_a_version_into_an_independent_draft_numbered_next(world, draft):
    services.publish_version(by=world.user("furong"), version=draft)
    copy = services.copy_version(by=world.user("furong"), version=draft)

    assert (copy.standard_id, copy.number, copy.status, copy.based_on_id) == (
        draft.standard_id,
        2,
        StandardVersion.Status.DRAFT,
        draft.pk,
    )
    assert document_of(copy).items == document_of(draft).items
    assert document_of(copy).bands == document_of(draft).bands
    assert not set(copy.items.values_list("pk", flat=True)) & set(draft.items.values_list("pk", flat=True))

    before = snapshot(draft)
    item = copy.items.get(code="1.1")
    services.update_item(by=world.user("furong"), item=item, changes={"title": "改过的名称"})
    services.delete_item(by=world.user("furong"), item=copy.items.get(code="3"))
    services.update_grade_band(
        by=world.user("furong"), band=copy.grade_bands.get(name="优秀"), changes={"min_score": Decimal("95")}
    )
    assert snapshot(draft) == before


def test_the_copy_keeps_the_tree_and_the_order_of_siblings(world, draft):
    services.move_item(by=world.user("furong"), item=draft.items.get(code="1.2"), direction="up")
    copy = services.copy_version(by=world.user("furong"), version=draft)
    assert [item.code for item in document_of(copy).items] == ["0", "0.1", "1", "1.2", "1.1", "2", "3"]
    assert copy.items.get(code="1.2").parent == copy.items.get(code="1")


def test_an_office_copies_a_built_in_standard_into_one_it_owns(world, builtin):
    copy = services.copy_standard(by=world.user("tianxin"), version=builtin, owner=world.tianxin_office)
    assert copy.standard.owner == world.tianxin_office
    assert copy.standard.code != builtin.standard.code
    assert copy.based_on == builtin
    assert copy.number == 1
    assert copy.status == StandardVersion.Status.DRAFT
    assert document_of(copy).items == document_of(builtin).items
    services.update_version(by=world.user("tianxin"), version=copy, changes={"pass_line": Decimal("90")})
    builtin.refresh_from_db()
    assert builtin.pass_line == Decimal("85")


def test_an_office_cannot_copy_a_standard_into_another_offices_hands(world, builtin):
    with pytest.raises(PermissionDenied):
        services.copy_standard(by=world.user("tianxin"), version=builtin, owner=world.furong_office)
    with pytest.raises(PermissionDenied):
        services.copy_standard(by=world.user("unit"), version=builtin, owner=world.furong_office)


# --- permissions ----------------------------------------------------------------------------------------------


def test_a_district_office_cannot_change_a_built_in_standard(world, builtin):
    before = snapshot(builtin)
    with pytest.raises(PermissionDenied):
        services.copy_version(by=world.user("furong"), version=builtin)
    with pytest.raises(PermissionDenied):
        services.confirm_defaults(by=world.user("furong"), version=builtin)
    assert snapshot(builtin) == before
    assert builtin.standard.versions.count() == 1


def test_only_the_owning_office_and_the_administrator_change_an_office_standard(world, draft):
    item = draft.items.get(code="1.1")
    for name in ("tianxin", "city", "unit", "reviewer"):
        with pytest.raises(PermissionDenied):
            services.update_item(by=world.user(name), item=item, changes={"title": name})
    services.update_item(by=world.user("admin"), item=item, changes={"title": "管理员改的"})
    services.update_item(by=world.user("furong"), item=item, changes={"title": "芙蓉区改的"})
    item.refresh_from_db()
    assert item.title == "芙蓉区改的"


# --- editing a draft ------------------------------------------------------------------------------------------


def test_it_adds_edits_moves_and_deletes_items_of_a_draft(world, draft):
    furong = world.user("furong")
    area = draft.items.get(code="1")
    added = services.add_item(
        by=furong,
        version=draft,
        parent=area,
        code="1.3",
        title="档案台账",
        kind="scored",
        max_points=Decimal("5"),
    )
    assert added.parent == area
    assert added.order > draft.items.get(code="1.2").order
    services.move_item(by=furong, item=added, direction="up")
    assert [i.code for i in document_of(draft).items][2:6] == ["1", "1.1", "1.3", "1.2"]
    services.move_item(
        by=furong, item=draft.items.get(code="0"), direction="up"
    )  # already first: nothing moves
    assert document_of(draft).items[0].code == "0"
    services.delete_item(by=furong, item=area)
    assert not draft.items.filter(code__startswith="1").exists()


def test_it_refuses_a_duplicate_code_and_a_gate_with_points_in_chinese(world, draft):
    furong = world.user("furong")
    with pytest.raises(ValidationError) as duplicate:
        services.add_item(
            by=furong, version=draft, parent=None, code="1", title="重复", kind="area", max_points=Decimal(0)
        )
    assert "编号 1 在该版本中已被使用" in str(duplicate.value)
    with pytest.raises(ValidationError) as gate:
        services.add_item(
            by=furong, version=draft, parent=None, code="9", title="门槛", kind="gate", max_points=Decimal(5)
        )
    assert "基本条件只判断是否满足" in str(gate.value)
    with pytest.raises(ValidationError) as unreachable:
        services.update_version(by=furong, version=draft, changes={"pass_line": Decimal("200")})
    assert "合格线不能高于满分与加分上限之和" in str(unreachable.value)


def test_it_refuses_grade_bands_with_a_name_or_score_already_used(world, draft):
    furong = world.user("furong")
    with pytest.raises(ValidationError, match="已有名为“优秀”的等次"):
        services.add_grade_band(by=furong, version=draft, name="优秀", min_score=Decimal("95"))
    with pytest.raises(ValidationError, match="已有最低分为 80 分的等次"):
        services.add_grade_band(by=furong, version=draft, name="良好", min_score=Decimal("80"))
    band = services.add_grade_band(by=furong, version=draft, name="良好", min_score=Decimal("85"))
    services.delete_grade_band(by=furong, band=band)
    assert sorted(draft.grade_bands.values_list("name", flat=True)) == ["不合格", "优秀", "合格"]


# --- publish --------------------------------------------------------------------------------------------------


def test_publishing_freezes_the_draft_and_retires_the_earlier_published_version(world, draft):
    furong = world.user("furong")
    services.publish_version(by=furong, version=draft)
    draft.refresh_from_db()
    assert draft.status == StandardVersion.Status.PUBLISHED
    with pytest.raises(ValidationError, match="已发布"):
        services.update_item(by=furong, item=draft.items.get(code="1.1"), changes={"title": "x"})

    second = services.copy_version(by=furong, version=draft)
    services.publish_version(by=furong, version=second)
    draft.refresh_from_db()
    assert draft.status == StandardVersion.Status.RETIRED
    with pytest.raises(ValidationError, match="只有草稿可以发布"):
        services.publish_version(by=furong, version=second)


def test_it_refuses_to_publish_a_version_whose_points_do_not_add_up(world, draft):
    furong = world.user("furong")
    services.update_item(by=furong, item=draft.items.get(code="1.2"), changes={"max_points": Decimal("30")})
    with pytest.raises(ValidationError) as refused:
        services.publish_version(by=furong, version=draft)
    message = " ".join(refused.value.messages)
    assert "该版本还不能发布" in message
    assert "与标准满分 100 分不一致" in message
    draft.refresh_from_db()
    assert draft.status == StandardVersion.Status.DRAFT


# --- confirm --------------------------------------------------------------------------------------------------


def test_confirming_defaults_clears_every_mark_and_records_who_and_when(world, draft):
    services.confirm_defaults(by=world.user("furong"), version=draft)
    draft.refresh_from_db()
    assert not draft.needs_confirmation
    assert draft.confirmed_by == world.user("furong")
    assert draft.confirmed_at is not None
    assert not draft.items.filter(needs_confirmation=True).exists()
    with pytest.raises(ValidationError, match="没有待确认的内容"):
        services.confirm_defaults(by=world.user("furong"), version=draft)


def test_the_administrator_confirms_a_built_in_version(world, builtin):
    services.confirm_defaults(by=world.user("admin"), version=builtin)
    builtin.refresh_from_db()
    assert builtin.confirmed_by == world.user("admin")
    assert not builtin.needs_confirmation


# --- lock -----------------------------------------------------------------------------------------------------


def test_locking_is_idempotent_and_keeps_the_first_reason(world, builtin):
    first = services.lock_version(by=world.user("furong"), version=builtin, reason="2025 年绿色社区创建活动")
    again = services.lock_version(by=None, version=builtin, reason="另一个活动")
    assert first.is_locked
    assert again.locked_at == first.locked_at
    builtin.refresh_from_db()
    assert builtin.locked_reason == "2025 年绿色社区创建活动"


def test_an_outsider_cannot_lock_a_version(world, builtin):
    with pytest.raises(PermissionDenied):
        services.lock_version(by=world.user("outsider"), version=builtin, reason="x")


def test_a_locked_version_refuses_every_write_and_nothing_changes(world, draft):
    furong, admin = world.user("furong"), world.user("admin")
    services.lock_version(by=None, version=draft, reason="2025 年创建活动")
    before = snapshot(draft)
    item, band = draft.items.get(code="1.1"), draft.grade_bands.get(name="优秀")
    writes = [
        lambda: services.update_version(by=furong, version=draft, changes={"label": "新名"}),
        lambda: services.add_item(
            by=furong, version=draft, parent=None, code="9", title="新", kind="scored", max_points=Decimal(1)
        ),
        lambda: services.update_item(by=admin, item=item, changes={"title": "新"}),
        lambda: services.move_item(by=furong, item=item, direction="down"),
        lambda: services.delete_item(by=furong, item=item),
        lambda: services.add_grade_band(by=furong, version=draft, name="良", min_score=Decimal(85)),
        lambda: services.update_grade_band(by=furong, band=band, changes={"min_score": Decimal(91)}),
        lambda: services.delete_grade_band(by=furong, band=band),
        lambda: services.confirm_defaults(by=furong, version=draft),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as refused:
            write()
        assert "已被创建活动使用，不可修改；请复制为新版本" in str(refused.value)
    assert snapshot(draft) == before


def test_a_locked_version_can_still_be_copied_and_the_copy_is_not_locked(world, draft):
    services.lock_version(by=None, version=draft, reason="活动")
    copy = services.copy_version(by=world.user("furong"), version=draft)
    assert not copy.is_locked
    assert copy.status == StandardVersion.Status.DRAFT
    services.update_item(by=world.user("furong"), item=copy.items.get(code="1.1"), changes={"title": "改"})


def test_the_models_refuse_writes_to_a_locked_version_whatever_the_code_path(world, draft):
    services.lock_version(by=None, version=draft, reason="活动")
    item = Item.objects.get(version=draft, code="1.1")
    band = GradeBand.objects.get(version=draft, name="优秀")
    version = StandardVersion.objects.get(pk=draft.pk)
    item.title = "绕过服务"
    band.min_score = Decimal("99")
    version.total_points = Decimal("120")
    for write in (item.save, item.delete, band.save, band.delete, version.save, version.delete):
        with pytest.raises(VersionLocked):
            write()
    with pytest.raises(VersionLocked):
        Item(version=draft, code="99", title="新", kind="scored", max_points=1).save()

    version.refresh_from_db()
    version.status = StandardVersion.Status.RETIRED  # the lifecycle still moves
    version.save()
    assert StandardVersion.objects.get(pk=draft.pk).status == StandardVersion.Status.RETIRED


def test_every_change_is_in_the_audit_trail_with_its_actor(world, draft):
    item = draft.items.get(code="1.1")
    services.update_item(by=world.user("furong"), item=item, changes={"max_points": Decimal("25")})
    entry = AuditEntry.objects.get_for_object(item).latest("timestamp")
    assert entry.actor == world.user("furong")
    assert entry.changes_dict["max_points"] == ["20.00", "25"]
    assert entry.additional_data["region_path"] == world.furong.path


def test_creating_a_standard_makes_an_empty_first_draft(world):
    version = services.create_standard(
        by=world.user("furong"),
        owner=world.furong_office,
        code="furong-new",
        name="新标准",
        applies_to=["school"],
    )
    assert version.number == 1
    assert version.status == StandardVersion.Status.DRAFT
    assert version.standard.owner == world.furong_office
    assert version.applies_to == ["school"]
    assert not version.items.exists()
    with pytest.raises(PermissionDenied):
        services.create_standard(by=world.user("furong"), owner=None, code="x-builtin", name="内置")
    with pytest.raises(PermissionDenied):
        services.create_standard(
            by=world.user("furong"), owner=world.tianxin_office, code="x-other", name="别人的"
        )
    assert not Standard.objects.filter(code__in=["x-builtin", "x-other"]).exists()
