"""Settings for the 井字镇 portal.

Everything comes from environment variables with safe local defaults, so a fresh clone runs on SQLite with Celery
in-process. Production (JINGZI_ENV=production) refuses to start with the default secret key, DEBUG on, or no
REDIS_URL (unless CELERY_EAGER=1 asks for in-process tasks).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEFAULT_SECRET_KEY = "django-insecure-jingzi-local-development-only"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = os.environ.get("JINGZI_ENV", "development") == "production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少 40 个字符，不能使用默认值）。")
    if DEBUG:
        raise ImproperlyConfigured("生产环境不能开启 DEBUG。")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS。")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "treebeard",
    "django_celery_beat",
    "django_celery_results",
    "axes",
    "branches",
    "reports",
    "industry",
    "environment",
    "governance",
    "volunteers",
    "partylife",
    "dispatch",
    "grid",
    "demo",  # the Jingzi demo (load_demo); no models, and no app imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jingzi.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jingzi.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jingzi.live.LiveVersionMiddleware",  # after the user is known: his writes renew his towns' live tokens
    "branches.idempotency.IdempotencyMiddleware",  # after the user is known: keys are per user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "jingzi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "reports.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "jingzi.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A persistent connection is probed (SELECT 1) at the first query of each request, so one that died with a
        # database restart is replaced instead of failing the request (tests/reliability/test_faults.py).
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
        # Behind PgBouncer in transaction pooling mode each transaction may run on another server connection, so a
        # cursor declared in one (Django's `.iterator()` on PostgreSQL) is gone at the next fetch: Django's documented
        # answer is to turn server-side cursors off (docs/operations.md, "Several machines").
        disable_server_side_cursors=env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database fails a request in seconds rather than hanging it until the worker is killed.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default runs web requests and in-process Celery tasks side by side: wait rather than fail on a lock.
    # IMMEDIATE: a transaction takes the write lock when it begins, so two saves of one report queue up and the second
    # meets the version check ("changed by X, reload") instead of SQLite's "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

# A streaming read replica (docs/operations.md): with DATABASE_REPLICA_URL set, the read-only pages and API lists read
# from it and everything else from the primary (jingzi/db_router.py says which is which). Same connection options as
# the primary; the test suite mirrors it onto the test database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
        disable_server_side_cursors=DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"],
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["jingzi.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("jingzi.live.LiveVersionMiddleware") + 1,
                      "jingzi.middleware.ReplicaMiddleware")  # fmt: skip
# Models whose writes change nothing a page counts live (jingzi/live.py): sessions, logins, bookkeeping, the user's own
# settings, notifications, and the roll-ups (their own version, reports/cache.py, keys what is derived from them).
LIVE_UNCOUNTED_MODELS = [
    "sessions.*", "axes.*", "authtoken.*", "admin.logentry", "contenttypes.*", "django_celery_beat.*",
    "branches.user", "branches.liveversion", "branches.personaldataaccess", "branches.idempotentrequest",
    "reports.notification", "reports.notificationchannel", "reports.delivery",
    "reports.periodmonth", "reports.unitancestor", "reports.rollup", "reports.rollupversion",
]  # fmt: skip
# After a write, the browser reads from the primary for this long: longer than the replica's usual lag.
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "5"))
REPLICA_PIN_COOKIE = "jingzi_primary_until"
# The views (namespace:name, shell patterns) whose GET may read the replica: dashboards, lists, exports, roll-up reads.
# Not here, so on the primary: every form (entry, add, edit pages), detail pages one opens to act on, the home page's
# to-do lists.
REPLICA_READ_VIEWS = [
    "reports:dashboard",
    "reports:dashboard_indicator",
    "reports:brief",
    "reports:bulletin",
    "reports:bulletin_detail",
    "reports:summary",
    "reports:completeness",
    "reports:work_line",
    "*:*_list",  # each app's ledger lists (and their exports)
    "*-list",  # the API's ledger lists (a POST to the same name is a write, so the primary)
    "*:*-list",
    "api-indicators",
    "api-rollups",
    "dispatch:task_export",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "branches.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "branches.password_validation.MinimumLengthValidator"},  # its message in Chinese
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that
# login is locked for AXES_COOLOFF_MINUTES (a town office shares one address, so the address alone would lock everyone
# out). The page login and the API's token endpoint are both counted. `manage.py axes_reset_username NAME` unlocks.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jingzi.middleware.lockout_response"
AXES_COOLOFF_MESSAGE = format_lazy(_("登录失败次数过多，该账号已暂时锁定，请 {minutes} 分钟后再试。"),
                                  minutes=AXES_COOLOFF_MINUTES)  # fmt: skip
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "1" if PRODUCTION else "0")) or None

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production collects into STATIC_ROOT; elsewhere whitenoise serves straight from the finders (node_modules, static/).
STATIC_ROOT = os.environ.get("STATIC_ROOT") or (BASE_DIR / "staticfiles" if PRODUCTION else None)
WHITENOISE_USE_FINDERS = not PRODUCTION
NODE_MODULES = BASE_DIR / "node_modules"
WORKBOX_MODULES = ("core", "routing", "strategies", "expiration")  # in dependency order: branches/offline.py
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/idb", NODE_MODULES / "idb" / "build"),
    # Workbox's module builds, each package's own build/ under one prefix: the service worker imports them from
    # the portal's static files, never from Google's CDN (the workbox-sw loader, which defaults to it, is not used).
    *(("vendor/workbox", NODE_MODULES / f"workbox-{name}" / "build") for name in WORKBOX_MODULES),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Every JSON body through one parser: too deep a nesting refused before parsing, a non-object after (§7).
    "DEFAULT_PARSER_CLASSES": [
        "branches.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "branches.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "branches.api.base.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "井字镇“一切工作到支部”平台 API",
    "DESCRIPTION": "组织架构、户、党员、月报与汇总的接口。所有列表只返回调用者有权查看的数据。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` (or a `stage`); those that would otherwise get a made-up name are named here (else
    # a check --deploy warning).
    "ENUM_NAME_OVERRIDES": {
        "ProblemStatusEnum": "industry.models.Problem.Status",
        "AttendanceStatusEnum": "partylife.models.Attendance.Status",
        "ApplicantStageEnum": "partylife.models.Applicant.Stage",
        "PhotoStageEnum": "branches.models.Photo.Stage",
        "DispatchItemStatusEnum": "dispatch.models.Item.Status",
        "ExtensionStateEnum": "dispatch.models.Extension.State",
        "StepActionEnum": "dispatch.models.Step.Action",
        "TaskPriorityEnum": "dispatch.models.Priority",
        "TaskEveryEnum": "dispatch.models.Every",
        "GridEventKindEnum": "grid.models.Kind",
        "GridEventToEnum": "grid.models.GridEvent.To",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Celery: with no REDIS_URL, tasks run in-process (eager) so the embedded default needs no broker. Production must not
# fall into that silently — roll-ups would run inside web requests and no beat would run the nightly and monthly jobs —
# so there it takes a broker, or CELERY_EAGER=1 to ask for in-process tasks by name.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", not REDIS_URL and not PRODUCTION)
if PRODUCTION and not REDIS_URL and not CELERY_TASK_ALWAYS_EAGER:
    raise ImproperlyConfigured(
        "生产环境必须设置 REDIS_URL（Celery 的消息队列，另需运行 worker 和一个 beat）。如确要在 Web 进程内直接执行任务"
        "（汇总在请求中运行，没有定时任务），请明确设置 CELERY_EAGER=1。"
    )
CELERY_TASK_EAGER_PROPAGATES = True

# The cache of roll-up-derived pages (reports/cache.py): Redis when REDIS_URL is set — its own database number
# (REDIS_CACHE_DB, default 1; Celery's broker uses the URL's) and key prefix — else this process's memory. CACHE=off
# caches nothing (every page computes its figures), so a benchmark can measure what the cache is worth.
CACHE_OFF = os.environ.get("CACHE", "").strip().lower() in {"off", "0", "no", "false"}
REDIS_CACHE_DB = os.environ.get("REDIS_CACHE_DB", "1")


def redis_cache_url(url, db):
    """REDIS_URL with its database number replaced by `db` (redis://host:6379/0 → redis://host:6379/1)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


if CACHE_OFF:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_cache_url(REDIS_URL, REDIS_CACHE_DB),
            "KEY_PREFIX": "jingzi",
            # A Redis that does not answer must not hold a page up: the cache fails open (reports/cache.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jingzi"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The queue tasks go to and workers consume by default: deployments sharing one Redis keep apart by it.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_RESULT_BACKEND = "django-db"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Notifications also go out by email (SMTP) and group robots (reports/notifications/). Nothing secret lives here: the
# SMTP account comes from the environment. The defaults suit a local relay on port 25.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# The portal's address as people reach it: the links in emails and robot messages are built on it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# A failed delivery is tried again after NOTIFY_RETRY_BASE_SECONDS, then twice as long each time (at most an hour),
# and given up after NOTIFY_MAX_ATTEMPTS attempts (the admins are told).
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
NOTIFY_WEBHOOK_TIMEOUT = int(os.environ.get("NOTIFY_WEBHOOK_TIMEOUT", "10"))
# The hosts a group robot's webhook may point at: the public WeCom and DingTalk robot APIs. Any user may add a robot, so
# an open list would let him have the server post to addresses inside its own network; a private deployment adds its
# own host here ("*" allows any).
NOTIFY_WEBHOOK_HOSTS = env_list("NOTIFY_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com"])
# With in-process (eager) Celery, deliveries run on a background thread after the commit, so a page never waits on a
# mail server; the tests turn this off to send synchronously on commit.
NOTIFY_IN_BACKGROUND = env_bool("NOTIFY_IN_BACKGROUND", True)

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "jingzi2026")

# Monthly reports are due by this day of the following month.
REPORT_DEADLINE_DAY = int(os.environ.get("REPORT_DEADLINE_DAY", "5"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))

# Request bodies: a form or JSON body up to DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), an upload (multipart: photos, Excel)
# up to JINGZI_MAX_UPLOAD_BYTES in all; a larger one is refused with a 413 in Chinese before it is read
# (jingzi.middleware.RequestSizeLimitMiddleware), as is a form with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields
# (a 400). Each photo is at most 8 MB and each Excel file 5 MB besides (branches/photos.py, reports/monthly/excel/).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(int(2.5 * 1024 * 1024))))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", "5000"))
JINGZI_MAX_UPLOAD_BYTES = int(os.environ.get("JINGZI_MAX_UPLOAD_BYTES", str(64 * 1024 * 1024)))
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The proxy passes on the Host it was asked for (nginx: `proxy_set_header Host $http_host`); only a proxy that cannot,
# and sends it as X-Forwarded-Host instead, needs this on (the header is then trusted, still checked against
# ALLOWED_HOSTS).
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
