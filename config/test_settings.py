"""Settings for the test suite: the production settings with test-only speed-ups, nothing else changed.

DATABASE_URL still decides the database, so the same suite runs on SQLite and on PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuv")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; never used outside tests
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}

# whitenoise warns when STATIC_ROOT does not exist; tests never collect static files, so any empty folder does.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="lvchuang-test-static-"))
