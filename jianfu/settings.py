"""Jianfu settings, read from environment variables with strict parsing."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

env = environ.Env()

VALID_ENVS = ("development", "test", "production")
JIANFU_ENV = env.str("JIANFU_ENV", default="development")
if JIANFU_ENV not in VALID_ENVS:
    raise ImproperlyConfigured(
        f"JIANFU_ENV must be one of {', '.join(VALID_ENVS)}; got {JIANFU_ENV!r}."
    )
PRODUCTION = JIANFU_ENV == "production"


def _strict_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false; got {raw!r}.")


def _strict_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    return value


DEBUG = _strict_bool("JIANFU_DEBUG", default=JIANFU_ENV == "development")
# Django's technical 404 page (English, with the URL list) only when asked for; else the product's own.
JIANFU_DEBUG_404 = _strict_bool("JIANFU_DEBUG_404", default=False)
VAR_DIR = Path(env.str("JIANFU_VAR_DIR", default=str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("JIANFU_SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("JIANFU_SECRET_KEY must be set when JIANFU_ENV=production.")
    SECRET_KEY = "insecure-development-key-" + "x" * 40
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("JIANFU_SECRET_KEY must be at least 50 characters in production.")

ALLOWED_HOSTS = env.list(
    "JIANFU_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("JIANFU_ALLOWED_HOSTS must list the host names in production.")
CSRF_TRUSTED_ORIGINS = env.list("JIANFU_CSRF_TRUSTED_ORIGINS", default=[])

# The audit chain's key and checkpoints live outside the database (docs/decisions/0014-…). Outside production a
# missing key file is created on first use; production refuses to start without a key.
JIANFU_AUDIT_KEY = env.str("JIANFU_AUDIT_KEY", default="")
JIANFU_AUDIT_KEY_FILE = Path(env.str("JIANFU_AUDIT_KEY_FILE", default=str(VAR_DIR / "audit.key")))
JIANFU_AUDIT_CHECKPOINT_FILE = Path(
    env.str("JIANFU_AUDIT_CHECKPOINT_FILE", default=str(VAR_DIR / "audit-checkpoints.log")))
if JIANFU_AUDIT_KEY and len(JIANFU_AUDIT_KEY.strip()) < 32:
    raise ImproperlyConfigured("JIANFU_AUDIT_KEY must be at least 32 characters.")
if PRODUCTION and not JIANFU_AUDIT_KEY and not JIANFU_AUDIT_KEY_FILE.is_file():
    raise ImproperlyConfigured(
        f"JIANFU_AUDIT_KEY must be set when JIANFU_ENV=production, or JIANFU_AUDIT_KEY_FILE name a file holding "
        f"the key (no file at {JIANFU_AUDIT_KEY_FILE}); keep it apart from the database.")

# SQLite ignores the covering columns of an index (PostgreSQL, the production database, uses them).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "jianfu.core",
    "jianfu.audit",
    "jianfu.org",
    "jianfu.rules",
    "jianfu.demands",
    "jianfu.burden",
    "jianfu.inspections",
    "jianfu.reportforms",
    "jianfu.api",
    "jianfu.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every middleware that may write (sessions, logins): a busy database answers 503, never 500.
    "jianfu.core.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jianfu.org.middleware.LoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jianfu.core.middleware.SecurityHeadersMiddleware",
    "jianfu.core.middleware.ProductNotFoundMiddleware",
]

ROOT_URLCONF = "jianfu.urls"
WSGI_APPLICATION = "jianfu.wsgi.application"

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
                "jianfu.site.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ by default, anything else through DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'jianfu.sqlite3'}"
try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_sqlite)}
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
_engine = DATABASES["default"].get("ENGINE", "")
if _engine == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while the worker writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": _strict_int("JIANFU_SQLITE_TIMEOUT", 20, minimum=1),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif _engine == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = _strict_int("JIANFU_DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL (sqlite:///… or postgres://…).")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = ["jianfu.org.backends.LockoutBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
JIANFU_LOCKOUT_FAILURES = _strict_int("JIANFU_LOCKOUT_FAILURES", 5, minimum=1)
JIANFU_LOCKOUT_MINUTES = _strict_int("JIANFU_LOCKOUT_MINUTES", 15, minimum=1)
# Failures on one login name from every client within an hour before the name is slowed for browsers it has
# never logged in from (org.backends; docs/decisions/0016-login-throttling.md).
JIANFU_LOCKOUT_NAME_FAILURES = _strict_int("JIANFU_LOCKOUT_NAME_FAILURES", 20, minimum=1)
# Trusted reverse proxies in front of the web server (X-Forwarded-For is read only that many hops deep).
JIANFU_PROXY_HOPS = _strict_int("JIANFU_PROXY_HOPS", 0, minimum=0)
# Control-number look-ups per person: a minute's worth, and answers an hour that are not the person's own.
JIANFU_VERIFY_PER_MINUTE = _strict_int("JIANFU_VERIFY_PER_MINUTE", 30, minimum=1)
JIANFU_VERIFY_MISSES_PER_HOUR = _strict_int("JIANFU_VERIFY_MISSES_PER_HOUR", 60, minimum=1)

# Sessions, cookies and transport security.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = _strict_int("JIANFU_SESSION_HOURS", 10, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _strict_bool("JIANFU_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _strict_int("JIANFU_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# A load balancer checks health over plain HTTP: never redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# The Django admin and the API's documentation (docs and openapi.json) for anyone are development tools:
# off in production unless set; with the docs off, they need a logged-in session or an API token.
JIANFU_ADMIN_ENABLED = _strict_bool("JIANFU_ADMIN_ENABLED", default=not PRODUCTION)
JIANFU_API_DOCS_PUBLIC = _strict_bool("JIANFU_API_DOCS_PUBLIC", default=not PRODUCTION)

# Internationalisation: simplified Chinese first, traditional Chinese and English ship.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "jianfu_language"
# ISO first among the input formats of every language: <input type="date"> takes nothing else.
FORMAT_MODULE_PATH = ["jianfu.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("JIANFU_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(VAR_DIR / "media")}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads: spreadsheets are checked for size before they are read.
JIANFU_MAX_UPLOAD_MB = _strict_int("JIANFU_MAX_UPLOAD_MB", 10, minimum=1)
# A large import writes this many rows per transaction, so other writers get the database between batches.
JIANFU_WRITE_BATCH_ROWS = _strict_int("JIANFU_WRITE_BATCH_ROWS", 2000, minimum=1)
# The address people reach Jianfu at, for links that leave the site (QR codes on paper, e-mail digests).
JIANFU_SITE_URL = env.str("JIANFU_SITE_URL", default="").rstrip("/")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": env.str("JIANFU_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
JIANFU_TASK_MAX_ATTEMPTS = _strict_int("JIANFU_TASK_MAX_ATTEMPTS", 3, minimum=1)
# The worker reports every few seconds and renews the lease of the task it runs; a task whose lease ran
# out (its worker was killed) is queued again. The lease outlasts several missed beats and a busy database.
JIANFU_WORKER_BEAT_SECONDS = _strict_int("JIANFU_WORKER_BEAT_SECONDS", 5, minimum=1)
JIANFU_TASK_LEASE_SECONDS = _strict_int("JIANFU_TASK_LEASE_SECONDS", 60, minimum=2)
if JIANFU_TASK_LEASE_SECONDS < 2 * JIANFU_WORKER_BEAT_SECONDS:
    raise ImproperlyConfigured("JIANFU_TASK_LEASE_SECONDS must be at least twice JIANFU_WORKER_BEAT_SECONDS.")

# E-mail: the daily inbox digest goes out only when an SMTP server is set; nothing is sent otherwise.
JIANFU_SMTP_HOST = env.str("JIANFU_SMTP_HOST", default="")
if JIANFU_SMTP_HOST:
    if not JIANFU_SITE_URL:
        raise ImproperlyConfigured("JIANFU_SITE_URL must be set when JIANFU_SMTP_HOST is, so that e-mails link back.")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = JIANFU_SMTP_HOST
    EMAIL_PORT = _strict_int("JIANFU_SMTP_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env.str("JIANFU_SMTP_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("JIANFU_SMTP_PASSWORD", default="")
    EMAIL_USE_TLS = _strict_bool("JIANFU_SMTP_TLS", True)
    EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("JIANFU_MAIL_FROM", default="jianfu@localhost")

# The cache holds only short-lived counts (slowed look-ups) and cached large counts. Each process keeps its own
# unless CACHE_URL names a shared one (e.g. redis://127.0.0.1:6379/1), which several web processes should use.
try:
    CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"CACHE_URL is not a cache address Jianfu knows: {exc}") from exc

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("JIANFU_LOG_LEVEL", default="INFO")},
    "loggers": {"django_tasks_db": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
