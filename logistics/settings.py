"""Houqin settings: one module driven by environment variables (12-factor).

Unset ``DATABASE_URL`` → SQLite under ``var/``; unset broker → kombu's ``filesystem://`` under
``var/celery/``. See README.md § Configuration for the full table.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("HTTPS") or env_bool("PRODUCTION"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY (50+ random characters) in production.")
    SECRET_KEY = "dev-insecure-key-only-for-make-run-and-tests-0123456789abcdef"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The platform (imports no domain app).
    "logistics.tenancy",
    "logistics.accounts",
    "logistics.people",
    "logistics.audit",
    "logistics.attachments",
    "logistics.notifications",
    "logistics.reminders",
    "logistics.reports",
    "logistics.dashboard",
    "logistics.ui",
    "logistics.api",
    "logistics.system",
    "logistics.workflow",
    "logistics.corrective",
    "logistics.imports",
    # Domain apps.
    "assets",
    "repairs",
    "utilities",
    "canteen",
    "finance",
    "safety",
    # Django and third parties.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "logistics.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "logistics.audit.middleware.RequestContextMiddleware",
    "logistics.tenancy.middleware.CurrentSchoolMiddleware",
    "logistics.ui.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "logistics.urls"
WSGI_APPLICATION = "logistics.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "logistics.ui.context_processors.platform",
            ],
            "builtins": ["logistics.ui.templatetags.houqin"],
        },
    }
]

# --- database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'houqin.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # the hot paths' prepared statements (logistics/system/prepared.py) keep one plan — planning them again
    # is what preparing saves (PostgreSQL kept planning the API rows' statement anew); other queries are
    # not prepared, so this setting leaves them as they are
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c plan_cache_mode=force_generic_plan")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "logistics.system.cache.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "houqin",
        }
    }
# Kept pages and API responses found by data versions (logistics/tenancy/versions.py): only where every
# process reads one cache — with the in-process cache each worker would keep versions of its own.
KEPT_BY_VERSION = env_bool("KEPT_BY_VERSION", default=CACHE_URL.startswith("redis"))

# --- auth ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login protection (django-axes, every login form incl. /admin/ and the API token): this many failed
# attempts for one username *from one address* lock that pair for the window; other users behind the
# same address (a school's NAT) still log in. See docs/deployment.md § Login protection.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(seconds=LOGIN_FAILURE_WINDOW)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "logistics.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "logistics.accounts.throttle.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # unlock with `manage.py axes_reset_username <name>` (docs/deployment.md)

# --- i18n and time ------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# date boxes take YYYY-MM-DD, datetime-local boxes YYYY-MM-DDTHH:MM: those input formats first (logistics/formats)
FORMAT_MODULE_PATH = ["logistics.formats"]

# --- static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- email --------------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
if EMAIL_URL.startswith("console"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL.startswith("locmem"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:  # smtp://user:password@host:port
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "houqin@localhost")

# --- security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production behind TLS: HTTPS=1 turns on secure cookies, HSTS and the redirect to https.
if env_bool("HTTPS", default=False):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # the token first: a request signed in neither way is answered 401 with ``WWW-Authenticate: Token`` (as
    # the schema says), not 403 — DRF takes the challenge from the first class; a browser's session still works
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "logistics.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "logistics.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "logistics.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_TOKEN_THROTTLE", "20/min")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Trusted reverse proxies in front of gunicorn (1 behind nginx): who the client is for throttling.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Houqin API",
    "DESCRIPTION": "School logistics: tenancy, repairs, assets and more. Authenticate with a session or "
    "`Authorization: Token <token>` from `POST /api/v1/auth/token/`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    # bases whose docstrings are for developers are not shown on the endpoints that inherit them
    "GET_LIB_DOC_EXCLUDES": "logistics.api.docs.lib_doc_excludes",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "logistics.api.schema.add_error_responses",
    ],
}

# --- jobs ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _celery_dir = VAR_DIR / "celery"
    for _sub in ("out", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "out"),
        "data_folder_out": str(_celery_dir / "out"),
        "data_folder_processed": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
    }
else:
    # Broker trouble costs a request nothing noticeable: one connect attempt with a short timeout and no
    # publish retry (the enqueue is logged and the periodic scan picks the work up). Unacknowledged
    # messages of a killed worker go back to the queue after the visibility timeout.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "max_retries": 0,
        "socket_connect_timeout": float(os.environ.get("CELERY_CONNECT_TIMEOUT", "0.5")),
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_CONNECT_TIMEOUT", "0.5"))
CELERY_TASK_PUBLISH_RETRY = False
# Every task is idempotent (CONVENTIONS.md): acknowledged when done, so a worker killed mid-task
# leaves its message to be redelivered, and the catch-up at the next worker start runs what is missing.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Every periodic duty runs through logistics.system.run_duty, which records its last success; the
# hourly catch-up (and the one at worker and beat start) runs any duty whose scheduled time passed
# since its last success — beat itself does not run schedules that passed while it was down.
CELERY_BEAT_SCHEDULE = {
    "reminder-scan": {"task": "logistics.system.run_duty", "schedule": 15 * 60, "args": ("reminder-scan",)},
    # Runs daily: on the 1st it makes last month's reports; on other days it catches up on any missed.
    "monthly-reports": {
        "task": "logistics.system.run_duty",
        "schedule": crontab(minute=0, hour=6),
        "args": ("monthly-reports",),
    },
    "housekeeping": {
        "task": "logistics.system.run_duty",
        "schedule": crontab(minute=30, hour=2),
        "args": ("housekeeping",),
    },
    "catch-up": {"task": "logistics.system.catch_up", "schedule": crontab(minute=45)},
}

# --- the domain's rules: defaults of logistics.tenancy.rules (overridable per deployment) -----
HOUQIN_RULES = {}
HOUQIN_LIST_COUNT_CAP = int(os.environ.get("LIST_COUNT_CAP", "10000"))
# API rows built by PostgreSQL and the scan's hand-written queries run as statements prepared once per database
# session (logistics/system/prepared.py); a transaction-pooling proxy (pgbouncer pool_mode=transaction) does not
# keep sessions: set SQL_PREPARE=0 behind one (SQL_ROWS_PREPARE, its earlier name, is still read)
HOUQIN_SQL_PREPARE = os.environ.get("SQL_PREPARE", os.environ.get("SQL_ROWS_PREPARE", "1")) not in (
    "0",
    "false",
    "no",
    "",
)
SITE_NAME = _("Houqin school logistics")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
#: the public address for links that leave the browser (QR posters, labels, emails); empty: the
#: address each request came in on (logistics.ui.links)
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
