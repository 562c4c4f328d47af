"""The production services the settings can point at: the shared Redis cache of several app servers."""

from __future__ import annotations

import os
import uuid

import environ
import pytest
from django.core.cache.backends.redis import RedisCache

REDIS_URL = os.environ.get("LVCHUANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> RedisCache:
    config = environ.Env.cache_url_config(REDIS_URL)
    cache = RedisCache(config["LOCATION"], {})
    try:
        cache.get("ping")
    except Exception as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return cache


def test_it_parses_a_redis_cache_url_into_djangos_redis_backend():
    config = environ.Env.cache_url_config("redis://:s3cret@10.0.0.30:6379/1")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://:s3cret@10.0.0.30:6379/1"


def test_two_app_servers_share_one_redis_cache():
    first, second = _redis_or_skip(), _redis_or_skip()
    key = f"lvchuang-test-{uuid.uuid4()}"
    first.set(key, {"地区": "长沙市"}, timeout=30)
    assert second.get(key) == {"地区": "长沙市"}
    second.delete(key)
    assert first.get(key) is None
