"""Reads of supervision that need more than a scoped queryset: a unit user's open orders (for the home page),
the order list's counts, a re-inspection's population with unit names."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.supervision.access import visible_orders
from lvchuang.supervision.models import RectificationOrder, Reinspection
from lvchuang.titles.models import Title

OrderStatus = RectificationOrder.Status


def my_open_orders(user: User | AnonymousUser) -> list[RectificationOrder]:
    """The rectification orders the user's own units still have to answer (open, due date first): for a home
    page section "我的整改通知". Empty for anyone who is not unit staff."""
    unit_ids = jurisdiction_of(user).own_unit_ids
    if not unit_ids:
        return []
    return list(
        RectificationOrder.objects.filter(title__unit_id__in=unit_ids, status=OrderStatus.OPEN)
        .select_related("title__unit", "title__program")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class OrderCounts:
    open: int
    reported: int
    overdue: int
    late: int  # still open although the due date has passed (the daily check has not run yet)

    @property
    def waiting(self) -> int:
        return self.open + self.reported


def order_counts(orders: QuerySet[RectificationOrder], *, today: datetime.date) -> OrderCounts:
    counts = orders.aggregate(
        open=Count("pk", filter=Q(status=OrderStatus.OPEN)),
        reported=Count("pk", filter=Q(status=OrderStatus.REPORTED)),
        overdue=Count("pk", filter=Q(status=OrderStatus.OVERDUE)),
        late=Count("pk", filter=Q(status=OrderStatus.OPEN, due_on__lt=today)),
    )
    return OrderCounts(**counts)


def is_overdue(order: RectificationOrder, *, today: datetime.date) -> bool:
    """Overdue, or open past its due date (the daily check marks it the next morning)."""
    return order.status == OrderStatus.OVERDUE or (order.status == OrderStatus.OPEN and order.due_on < today)


def orders_of_title(user: User | AnonymousUser, title: Title) -> QuerySet[RectificationOrder]:
    return visible_orders(user).filter(title=title).order_by("-issued_on", "-pk")


@dataclass(frozen=True)
class PopulationRow:
    key: str
    weight: float
    unit: str
    drawn: bool


def population_rows(reinspection: Reinspection) -> list[PopulationRow]:
    """The stored population with each title's unit name, drawn ones marked."""
    keys = [int(row["key"]) for row in reinspection.population]
    names = dict(Title.objects.filter(pk__in=keys).values_list("pk", "unit__name"))
    drawn = {str(key) for key in reinspection.sample}
    return [
        PopulationRow(
            key=str(row["key"]),
            weight=float(row["weight"]),
            unit=names.get(int(row["key"]), ""),
            drawn=str(row["key"]) in drawn,
        )
        for row in reinspection.population
    ]
