"""Settings for lvchuang, read from the environment.

Every value a deployment changes comes from an environment variable (or a `.env` file beside manage.py in
development) and is parsed strictly: a malformed value stops start-up with the variable's name, rather than
running with a surprise. The embedded default (SQLite, DB-backed tasks, local files) needs no variable at all.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG: bool = env.bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY: str = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see docs/deploy.md).")

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Where uploaded evidence and generated files live: outside the web root, served only through views that check
# permissions. Collected static files are served by whitenoise.
VAR_DIR = Path(env.str("LVCHUANG_VAR_DIR", default=str(BASE_DIR / "var")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
DIVISIONS_DIR = Path(env.str("LVCHUANG_DIVISIONS_DIR", default=str(VAR_DIR / "divisions")))
MEDIA_URL = "/media/"
# Evidence uploads (lvchuang.assessments): at most this many megabytes per file, and per self-assessment in
# total. The web server in front must accept a request of the per-file size (nginx `client_max_body_size`).
EVIDENCE_MAX_FILE_MB: int = env.int("LVCHUANG_EVIDENCE_MAX_FILE_MB", default=20)
EVIDENCE_MAX_ASSESSMENT_MB: int = env.int("LVCHUANG_EVIDENCE_MAX_ASSESSMENT_MB", default=500)
STATIC_URL = "/static/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    # lvchuang's apps, in the order of the campaign cycle (docs/architecture.md)
    "lvchuang.accounts",
    "lvchuang.regions",
    "lvchuang.organisations",
    "lvchuang.standards",
    "lvchuang.assessments",
    "lvchuang.campaigns",
    "lvchuang.titles",
    "lvchuang.applications",
    "lvchuang.reviews",
    "lvchuang.notices",
    "lvchuang.naming",
    "lvchuang.supervision",
    "lvchuang.portal",
    "lvchuang.targets",
    "lvchuang.meetings",
    "lvchuang.reports",
    "lvchuang.agenda",
    "lvchuang.ledgers",
    "lvchuang.audit",
    "lvchuang.web",
    "lvchuang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lvchuang.web.middleware.SimplifiedChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lvchuang.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvchuang.web.context_processors.navigation",
            ],
        },
    },
]

# DATABASE_URL: sqlite:///path/to.db (default var/lvchuang.sqlite3) or postgres://user:pass@host:5432/name
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'lvchuang.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while pages read; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Messages live in the session, not a cookie: a one-time password shown once must not travel in the browser.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Simplified Chinese is the source language of every string; Traditional Chinese is derived from it and English
# is translated (docs/architecture.md, "Languages").
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Tasks run in-process on the database queue by default (`manage.py db_worker`); production may point the
# same code at Redis (docs/deploy.md).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# EMAIL_URL: smtp+tls://user:pass@host:587, or consolemail:// (default) in development.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="lvchuang@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "lvchuang 绿创 API",
    "DESCRIPTION": "绿色创建平台接口：与页面同样的辖区权限。Session 或 Token 认证。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI would otherwise send the schema's URL to validator.swagger.io for a badge: intranets have no
    # internet, and the URL should not leave them.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several models have a `status`; name each choice set after its model so the schema stays unambiguous.
    "ENUM_NAME_OVERRIDES": {
        "StandardVersionStatusEnum": "lvchuang.standards.models.StandardVersion.Status",
        "SelfAssessmentStatusEnum": "lvchuang.assessments.models.SelfAssessment.Status",
        "CampaignStatusEnum": "lvchuang.campaigns.models.Campaign.Status",
        "ApplicationStatusEnum": "lvchuang.applications.models.Status",
        "BatchStatusEnum": "lvchuang.applications.models.Batch.Status",
        "ReviewStatusEnum": "lvchuang.reviews.models.Review.Status",
        "TitleStatusEnum": "lvchuang.titles.models.Title.Status",
    },
}

# The audit trail records who changed what; the actor comes from the request (AuditlogMiddleware).
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# auditlog's own migrations create its LogEntry table even when the model is swapped (jazzband/django-auditlog
# #804); that orphan table, with a foreign key to users, breaks flushing on PostgreSQL. Its only model is
# swapped for ours, so the app needs no migrations at all.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Production hardening: on whenever DEBUG is off, so `manage.py check --deploy` passes.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading suits public hostnames; an intranet-only hostname may set SECURE_HSTS_PRELOAD=false.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
