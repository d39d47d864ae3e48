"""Settings for the tracker: one module, everything that varies comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from dbstorage.config import default_storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("TRACKER_ALLOW_DEV_KEY", False):
        # Local runs and tests only; production refuses to start without a real key.
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local run).")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

SERVICE_NAME = "Ofsted judgement tracker"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "inspections",
    "intake",
    "briefings",
    "maps",
    "accounts",
    "dbstorage",
    "analysis",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # While the database does not answer, every page is the 503 page at once (not a hang).
    "inspections.middleware.DatabaseGateMiddleware",
    # A repeat visit to a busy page is answered from the shared cache here (see its docstring).
    "inspections.cache.SessionPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inspections.api_auth.ApiAuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed in but given no role: nothing to read (a 403 page that says why).
    "inspections.middleware.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before any middleware reads the body (CSRF does): an oversized upload is refused unread.
    "inspections.middleware.UploadSizeLimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so a view's database outage becomes the 503 page before anything else handles it.
    "inspections.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inspections.context_processors.service",
            ],
        },
    },
]

# SQLite for a newcomer; DATABASE_URL (postgres://...) selects PostgreSQL in CI and production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A hung database must not hang the service: connect, statement and TCP timeouts (seconds).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "15"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            # The server ends any statement (lock waits included) running longer than this.
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
            # A peer that vanished (network cut, host gone) is noticed in ~20 s, not hours.
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 2,
            "tcp_user_timeout": 20_000,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every worker: Redis when REDIS_URL is set, local memory otherwise.
# A slow or stopped Redis costs a request at most REDIS_TIMEOUT once, then is skipped for a few
# seconds (inspections.cache.ResilientRedisCache): the service runs on without its cache.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "inspections.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT, "SOCKET_TIMEOUT": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "inspections.auth.CachedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock that username from that address for fifteen minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client's address: X-Forwarded-For is believed only from these proxies (addresses or networks,
# comma-separated), so nobody picks their own address and one client cannot lock out everyone.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
# Beyond axes (accounts/throttle.py): failures per address across usernames, and how many password
# checks (about a second of CPU each) may run at once on the whole server and in one worker.
SIGNIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGNIN_ADDRESS_FAILURE_LIMIT", "20"))
SIGNIN_ADDRESS_WINDOW = 15 * 60
SIGNIN_CONCURRENT_CHECKS = int(os.environ.get("SIGNIN_CONCURRENT_CHECKS", "2"))
SIGNIN_CHECKS_PER_PROCESS = 1
# Pages, maps and briefings a user may have drawn afresh per minute (a PDF counts 10): inspections/cache.py.
RENDER_BUDGET_PER_MINUTE = int(os.environ.get("RENDER_BUDGET_PER_MINUTE", "60"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Report files where every app server sees them: FILE_STORAGE=database|s3|local (dbstorage/config.py).
    "default": default_storage_settings(os.environ),
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files for local runs and tests.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Uploads: reports are checked for type and size before anything parses them.
REPORT_UPLOAD_MAX_BYTES = int(os.environ.get("REPORT_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The intake of reports (intake/): every PDF is read in a child process with these limits each.
READER_WALL_SECONDS = float(os.environ.get("READER_WALL_SECONDS", "20"))
READER_CPU_SECONDS = float(os.environ.get("READER_CPU_SECONDS", "10"))
READER_MEMORY_MB = int(os.environ.get("READER_MEMORY_MB", "768"))
READER_POOL_SIZE = int(os.environ.get("READER_POOL_SIZE", "1"))  # reader children per server process
# Reports the reader had no doubt about go straight in (else every fetched report waits for review).
INTAKE_AUTO_ACCEPT = env_bool("INTAKE_AUTO_ACCEPT", False)
INTAKE_PENDING_UPLOAD_HOURS = int(os.environ.get("INTAKE_PENDING_UPLOAD_HOURS", "24"))
INTAKE_UPLOADS_PER_EDITOR = int(os.environ.get("INTAKE_UPLOADS_PER_EDITOR", "10"))
# The daily sync with Ofsted's site: one request at a time, this many seconds apart.
OFSTED_BASE_URL = os.environ.get("OFSTED_BASE_URL", "https://reports.ofsted.gov.uk")
OFSTED_DELAY_SECONDS = float(os.environ.get("OFSTED_DELAY_SECONDS", "2"))
OFSTED_TIMEOUT_SECONDS = float(os.environ.get("OFSTED_TIMEOUT_SECONDS", "30"))
OFSTED_RETRIES = int(os.environ.get("OFSTED_RETRIES", "3"))
OFSTED_BACKOFF_SECONDS = float(os.environ.get("OFSTED_BACKOFF_SECONDS", "5"))
OFSTED_CONTACT = os.environ.get("OFSTED_CONTACT", "")  # put in the User-Agent, so Ofsted can reach us
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # for links in emails

# Email (new reports waiting for review go to editors): the console locally, SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ofsted judgement tracker <tracker@localhost>")

# Security: secure cookies and HSTS whenever not in DEBUG; strict CSP always.
# Sessions read from the shared cache, written through to the database (nothing lost on a restart).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "inspections.views.errors.csrf_failure"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

DJANGO_TABLES2_TEMPLATE = "includes/govuk_table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": os.environ.get("LOG_LEVEL", "WARNING")}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
