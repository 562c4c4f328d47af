"""The arithmetic of energy indicators on plain decimals (no Django): ratios and percent changes.

单位建筑面积能耗 = energy ÷ floor area, 人均综合能耗 = energy ÷ 用能人数, 人均用水量 = water ÷ 用能人数 (facts §3);
a change versus a base year is in percent, rounded half up to two places, which is also the figure compared with
a target's change (what is shown is what is judged).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


def ratio(numerator: Decimal, denominator: Decimal | int) -> Decimal | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return numerator / Decimal(denominator)


def percent_change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """(after − before) ÷ before in percent, two places; None when either is unknown or before is zero."""
    if before is None or after is None or not before:
        return None
    return ((after - before) * 100 / before).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def meets_change(change: Decimal | None, target: Decimal) -> bool | None:
    """A change meets a target change when it is at or below it (−6.50 % meets −6 %); None when unknown."""
    if change is None:
        return None
    return change <= target
