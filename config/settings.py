"""Settings for Ruang BK, read from environment variables.

Development needs no configuration at all: SQLite, debug on, e-mail to the console.
Production sets ``DJANGO_DEBUG=0`` and at least ``DJANGO_SECRET_KEY``,
``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL``. A value that cannot be understood stops
start-up with a message naming the variable, rather than running with a guess.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env.str(name, default="")
    if raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off.")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"DJANGO_CSRF_TRUSTED_ORIGINS entries must start with http:// or https://; "
            f"got {_origin!r}."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "staff",
    "counseling",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files leave here, precompressed; everything below is gzipped for browsers that ask
    # (Django's GZipMiddleware pads responses against BREACH; CSRF tokens are masked anyway).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "staff.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "staff.middleware.SessionExpiryMiddleware",
    "staff.middleware.PasswordChangeRequiredMiddleware",
    "staff.middleware.NoStoreForAuthenticatedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# For `make bench` only: each response says how many database queries it took.
if env_bool("DJANGO_QUERY_COUNT_HEADER", default=False):
    MIDDLEWARE.insert(0, "staff.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "config.urls"

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
                "staff.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite "so one can just check out the code and it works"; PostgreSQL in production.
try:
    _database = env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL Django understands: {exc}"
    ) from None
if _database.get("ENGINE") not in environ.Env.DB_SCHEMES.values():
    raise ImproperlyConfigured("DATABASE_URL is not a database URL Django understands.")
if _database["ENGINE"] == "django.db.backends.postgresql":
    _database["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", default=60)
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}

# A read replica of the same database, for the dashboards' and reports' reads (staff.replica).
if env.str("DATABASE_REPLICA_URL", default="").strip():
    try:
        _replica = env.db_url("DATABASE_REPLICA_URL")
    except (ImproperlyConfigured, ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL is not a database URL Django understands: {exc}"
        ) from None
    if _replica.get("ENGINE") != _database["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL "
            f"(a replica of it); got {_replica.get('ENGINE')!r} beside {_database['ENGINE']!r}."
        )
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        if _key in _database:
            _replica[_key] = _database[_key]
    # Tests create no database on the replica: it stands for the test database itself.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["staff.replica.ReportingReadsRouter"]
# A replica may lag behind; a per-school cached value computed this soon after a change is not
# kept (staff.caching), so that it cannot outlive the change it missed.
SCHOOL_CACHE_SETTLE_SECONDS = (
    env_int("DATABASE_REPLICA_MAX_LAG", default=5) if "replica" in DATABASES else 0
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "staff.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staff.backends.SchoolMemberBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 12 hours at most in all (the cookie's age), 30 minutes idle (SessionExpiryMiddleware).
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_IDLE_TIMEOUT = int(timedelta(minutes=30).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Cache: Redis when REDIS_URL names a server, shared by every application server; otherwise each
# process's own memory (enough for one server: the per-school caches are invalidated per process).
REDIS_URL = env.str("REDIS_URL", default="").strip()
if REDIS_URL:
    _redis = urlsplit(REDIS_URL)
    if _redis.scheme not in {"redis", "rediss", "unix"}:
        # Only the scheme is repeated: the URL may hold a password.
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://; got {_redis.scheme!r}."
        )
    if _redis.scheme != "unix" and not _redis.hostname:
        raise ImproperlyConfigured("REDIS_URL names no host, as in redis://host:6379/0.")
    if _redis.scheme != "unix" and _redis.path.strip("/") and not _redis.path.strip("/").isdigit():
        raise ImproperlyConfigured(
            "REDIS_URL's path must be a database number, as in redis://host:6379/0."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ruangbk",
            # A Redis that does not answer slows a page by two seconds, not forever.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ruangbk",
        }
    }
# How long a per-school figure may be kept (staff.caching). A change invalidates it at once in
# the cache the change went through: with Redis, everywhere; in local memory, only in the worker
# process that made the change, so there the others may show the old figure for a minute.
SCHOOL_CACHE_TIMEOUT = 60 * 60 if REDIS_URL else 60

# Sessions live in the database unless DJANGO_SESSION_STORE asks for the cache (Redis): "cache"
# keeps them in Redis only, "cached_db" reads them from Redis and writes them to both.
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}
SESSION_STORE = env.str("DJANGO_SESSION_STORE", default="").strip().lower() or "db"
if SESSION_STORE not in _SESSION_ENGINES:
    raise ImproperlyConfigured(
        f"DJANGO_SESSION_STORE must be one of {', '.join(_SESSION_ENGINES)}; got {SESSION_STORE!r}."
    )
if SESSION_STORE != "db" and not REDIS_URL:
    # Each process's own memory would sign people out, or in, depending on the server they reach.
    raise ImproperlyConfigured(
        f"DJANGO_SESSION_STORE={SESSION_STORE} keeps sessions in the cache, which every "
        "application server shares only through Redis: set REDIS_URL, or use db."
    )
SESSION_ENGINE = _SESSION_ENGINES[SESSION_STORE]

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "staff.services.client_address"
# How many reverse proxies in front append to X-Forwarded-For (0: clients connect directly).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Language and time: Bahasa Indonesia first, English selectable; Western Indonesia Time.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = int(timedelta(days=365).total_seconds())
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Off: with it on, every integer in a template is grouped, ids in links included ("?case=4.355").
# Counts that people read are grouped where they are shown (humanize's intcomma, number_format).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves fingerprinted files (every {% static %} URL when not debugging) as immutable
# for ten years; the few unfingerprinted copies for a minute. Brotli (.br) files are written
# beside gzip ones by collectstatic because the brotli package is installed.
WHITENOISE_MAX_AGE = 0 if DEBUG else 60
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Uploaded files (consent forms): the local disk, or a private S3-compatible bucket that every
# application server shares. Either way they are only ever served through views that check
# access (never through MEDIA_URL or a public bucket URL).
MEDIA_STORAGE = env.str("DJANGO_MEDIA_STORAGE", default="").strip().lower() or "local"
if MEDIA_STORAGE == "local":
    _media_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _s3_bucket = env.str("DJANGO_S3_BUCKET", default="").strip()
    if not _s3_bucket:
        raise ImproperlyConfigured("DJANGO_S3_BUCKET is required when DJANGO_MEDIA_STORAGE=s3.")
    _s3_key_id = env.str("DJANGO_S3_ACCESS_KEY_ID", default="").strip()
    _s3_secret = env.str("DJANGO_S3_SECRET_ACCESS_KEY", default="").strip()
    if bool(_s3_key_id) != bool(_s3_secret):
        raise ImproperlyConfigured(
            "DJANGO_S3_ACCESS_KEY_ID and DJANGO_S3_SECRET_ACCESS_KEY go together: set both, or "
            "neither to use the server's own credentials (an instance role, AWS_* variables)."
        )
    _s3_endpoint = env.str("DJANGO_S3_ENDPOINT_URL", default="").strip()
    if _s3_endpoint and not _s3_endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"DJANGO_S3_ENDPOINT_URL must start with https:// or http://; got {_s3_endpoint!r}."
        )
    _s3_addressing = env.str("DJANGO_S3_ADDRESSING_STYLE", default="").strip().lower() or "auto"
    if _s3_addressing not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"DJANGO_S3_ADDRESSING_STYLE must be auto, path or virtual; got {_s3_addressing!r}."
        )
    _s3_options = {
        "bucket_name": _s3_bucket,
        "access_key": _s3_key_id,
        "secret_key": _s3_secret,
        "endpoint_url": _s3_endpoint,
        "region_name": env.str("DJANGO_S3_REGION", default="").strip(),
        "addressing_style": "" if _s3_addressing == "auto" else _s3_addressing,
    }
    _media_storage = {
        "BACKEND": "staff.storage.PrivateS3Storage",
        # What is not given is left to boto3 (its credential chain, the bucket's region).
        "OPTIONS": {name: value for name, value in _s3_options.items() if value},
    }
else:
    raise ImproperlyConfigured(f"DJANGO_MEDIA_STORAGE must be local or s3; got {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless DJANGO_EMAIL_URL names a server (smtp+tls://user:pw@host:587).
try:
    vars().update(env.email_url("DJANGO_EMAIL_URL", default="consolemail://"))
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_URL is not an e-mail URL: {exc}") from None
# Where people reach the application: links in e-mails (meeting invitations) start with it.
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL must start with http:// or https://; got {SITE_URL!r}."
    )
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Ruang BK <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. The Content Security Policy allows scripts and styles from our own origin only.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        # The proxy terminates TLS and says so in this header; it must strip the header
        # from what clients send.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_SSL_REDIRECT:
        # Switched off on purpose: the TLS proxy in front redirects plain HTTP itself.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
