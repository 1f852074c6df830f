"""Settings for Finsam uppföljning, read from the environment.

Every variable is documented in `.env.example`. Defaults are for local development on SQLite;
production sets `DEBUG=0`, `SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from finsam.loggning import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY måste sättas när DEBUG är av.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "finsam.apps.FinsamAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "registrering",
    "rapporter",
    "enkater",
    "effekter.apps.EffekterConfig",
    "samverkan.apps.SamverkanConfig",
]

MIDDLEWARE = [
    "finsam.loggning.RequestIdMiddleware",  # first: every later log line carries the id
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: the anonymous survey pages (/e/) get no session and no messages.
    "finsam.anonymitet.AnonymaSidorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews a logged-in session every few minutes instead of writing it on every request.
    "finsam.sessionsfornyelse.SessionsfornyelseMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the password, a session with a code left to type reaches only that page.
    "registrering.tvasteg.TvastegMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "finsam.urls"
WSGI_APPLICATION = "finsam.wsgi.application"

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
                "registrering.context_processors.huvudmeny",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A persistent connection the server has dropped (restart, failover, idle timeout) is
        # noticed and replaced at the start of the next request instead of failing it with a 500.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "registrering.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# An invitation's one-time link to choose a password (registrering.inbjudan) is Django's
# password-reset token: it dies when the password is set, or after this many seconds. A week,
# so that an invitation sent before a weekend or a short leave still works.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["finsam.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (the förbund's logo): read by the app only, never served as files.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Built bilagor (rapporter.lagring): a folder shared by the processes (outside MEDIA_ROOT: they
# can always be built again, so backups leave them out), or an S3-compatible store.
FINSAM_BILAGOR_DIR = Path(env_str("FINSAM_BILAGOR_DIR") or BASE_DIR / "var" / "bilagor")
FINSAM_S3_BUCKET = env_str("FINSAM_S3_BUCKET")


def bilagor_lagring() -> dict[str, object]:
    if not FINSAM_S3_BUCKET:
        return {
            "BACKEND": "rapporter.lagring.BilageLagring",
            "OPTIONS": {"location": str(FINSAM_BILAGOR_DIR)},
        }
    # django-storages reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment.
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": FINSAM_S3_BUCKET,
            "endpoint_url": env_str("FINSAM_S3_ENDPOINT") or None,
            "region_name": env_str("FINSAM_S3_REGION") or None,
            "location": env_str("FINSAM_S3_PREFIX") or "bilagor",
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": True,
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "bilagor": bilagor_lagring(),
}

# REDIS_URL (redis://host:6379/0) gives every process one shared cache, and the task queue's
# broker and result store below; without it the cache is per process (or CACHE_DIR's files).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "finsam"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache"
            if env_str("CACHE_DIR")
            else "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": env_str("CACHE_DIR", "finsam"),
        }
    }

# The task queue (Celery; finsam.celery, finsam.uppgifter): PDF builds, warming after approvals,
# large imports and the reminders. With no broker, tasks run in-process in a bounded pool.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or REDIS_URL or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-build leaves the task for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks: take one at a time
CELERY_WORKER_CONCURRENCY = env_int("FINSAM_WORKER_SAMTIDIGT", 2)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker and beat log like the web processes (finsam.loggning: JSON with LOG_FORMAT=json).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A worker that dies mid-task (out of memory) hands the task back instead of losing it; Redis
# gives an unacknowledged task to another worker after the visibility timeout, which must be
# longer than the longest task (a large import).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 60 * 60}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # The admin's unconfirmed import previews (registrering.importlagring), every hour.
    "rensa_importer": {
        "task": "registrering.rensa_importer",
        "schedule": crontab(minute=17),
    },
    # The reminders by e-mail (registrering.paminnelser), every morning; safe to run twice.
    "paminnelser": {
        "task": "registrering.skicka_paminnelser",
        "schedule": crontab(hour=7, minute=0),
    },
}

# Background builds without a broker (the bilaga's PDF; rapporter.bakgrund): how many run at
# once in the web process.
FINSAM_BYGGEN_SAMTIDIGT = env_int("FINSAM_BYGGEN_SAMTIDIGT", 1)

# The bilaga's charts are drawn in a process of their own while the PDF is laid out
# (rapporter.ritprocess): on a machine with a free core they then cost a cold PDF little.
# Off, they are drawn in the process that builds the PDF.
FINSAM_RITPROCESS = env_bool("FINSAM_RITPROCESS", True)

# E-mail (the reminders, README "Påminnelser"): SMTP from the environment; `make run` (DEBUG)
# writes mails to the console unless EMAIL_HOST is set.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not env_str("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Finsam uppföljning <finsam@localhost>"
# The app's own address as people reach it, for the links in mails.
FINSAM_BAS_URL = env_str("FINSAM_BAS_URL") or "http://127.0.0.1:8000"

# Surveys (enkater): below this many answers a group's figures are not shown anywhere ("För få
# svar för att redovisas"): pages, charts, PDF, exports.
FINSAM_ENKAT_MIN_N = env_int("FINSAM_ENKAT_MIN_N", 5)
# The public answer page (/e/<lank>/, enkater.svar_vyer): at most this many posted forms per
# round and minute (a counter in the cache: per process without REDIS_URL); more get 429.
FINSAM_ENKAT_SVAR_PER_MINUT = env_int("FINSAM_ENKAT_SVAR_PER_MINUT", 60)

# Security: Django's defaults stay on; production hardening follows DEBUG.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer probes over plain HTTP (README "Drift").
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Sessions end after FINSAM_SESSION_TIMMAR hours without a request: a request renews the session
# when its last renewal is FINSAM_SESSION_FORNYA_MINUTER or more ago (finsam.sessionsfornyelse;
# saving it on every request was a database write per page view).
SESSION_COOKIE_AGE = env_int("FINSAM_SESSION_TIMMAR", 8) * 60 * 60
FINSAM_SESSION_FORNYA_MINUTER = env_int("FINSAM_SESSION_FORNYA_MINUTER", 5)
SESSION_SAVE_EVERY_REQUEST = False

# Login protection (django-axes; README "Inloggningsskydd"): after AXES_FAILURE_LIMIT wrong
# passwords for one account from one IP address, that pair is refused for the cool-off time.
# The same account from another address, and other accounts, can still log in.
AXES_FAILURE_LIMIT = env_int("FINSAM_INLOGGNING_FORSOK", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("FINSAM_INLOGGNING_SPARR_MINUTER", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And one address is refused after this many wrong passwords on any accounts in the cool-off
# time (registrering.inloggning: password spraying); high enough for an office behind one NAT.
FINSAM_INLOGGNING_FORSOK_PER_ADRESS = env_int("FINSAM_INLOGGNING_FORSOK_PER_ADRESS", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "registrering.kontovyer.sparrad"
AXES_USERNAME_CALLABLE = "registrering.inloggning.anvandarnamn"
AXES_HTTP_RESPONSE_CODE = 429
# Our own audit log records logins (registrering.inloggning); axes keeps no log of its own and
# its tables stay out of the admin (the verksamhetsutvecklare unlocks at /konton/sparrade/).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Two-factor login (registrering.tvasteg, README "Tvåstegsverifiering"): the roles that must
# type a code from a TOTP app after their password (empty: nobody; anyone may turn it on).
# Logins through OpenID Connect are never asked.
FINSAM_TVASTEG_KRAVS = env_list("FINSAM_TVASTEG_KRAVS", "verksamhetsutvecklare,förbundschef")
OTP_TOTP_ISSUER = "Finsam uppföljning"
# The client's address: REMOTE_ADDR, or behind BEHIND_PROXY the address that the outermost of
# PROXY_ANTAL proxies appended to X-Forwarded-For (each proxy must append, never pass the
# client's header through alone). Not strict: addresses a client put before it are ignored.
if env_bool("BEHIND_PROXY", False):
    AXES_IPWARE_META_PRECEDENCE_ORDER: tuple[str, ...] = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = max(env_int("PROXY_ANTAL", 1) - 1, 0)
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the app's own files run or style a page; no inline
# script or style. Charts are SVG files from the app; the bilaga's logo may be a data: URI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs any of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# Single sign-on with OpenID Connect (mozilla-django-oidc; registrering.oidc; README
# "Inloggning med OpenID Connect"). On only when OIDC_RP_CLIENT_ID is set. The provider's
# endpoints come from OIDC_OP_DISCOVERY (its .well-known/openid-configuration, read when the
# first login needs it) unless each is given. A person is matched to an existing, active account
# by a claim (FINSAM_OIDC_MATCHNING: "email", or a claim compared with the username); accounts
# are created (OIDC_CREATE_USER) and roles given (FINSAM_OIDC_ROLLER_CLAIM + FINSAM_OIDC_ROLLER,
# "idp-värde=roll,…") only when configured.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
FINSAM_OIDC_AKTIV = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_DISCOVERY = env_str("OIDC_OP_DISCOVERY")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", False)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATE_CLASS = "registrering.oidc.OidcInloggning"
# An e-mail match needs the provider's word for the address: email_verified false is always
# refused; with this on, a missing email_verified is refused too.
FINSAM_OIDC_KRAV_BEKRAFTAD_EPOST = env_bool("FINSAM_OIDC_KRAV_BEKRAFTAD_EPOST", False)
OIDC_CALLBACK_CLASS = "registrering.oidc.OidcAterkomst"
OIDC_OP_LOGOUT_URL_METHOD = "registrering.oidc.utloggningsadress"
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)  # the end_session call's id_token_hint
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/"
# The provider throttles its own logins; a refused callback is not a wrong password.
AXES_WHITELIST_CALLABLE = "registrering.oidc.axes_undantag"
FINSAM_OIDC_NAMN = env_str("FINSAM_OIDC_NAMN", "organisationens konto")
FINSAM_OIDC_MATCHNING = env_str("FINSAM_OIDC_MATCHNING", "email")
FINSAM_OIDC_ROLLER_CLAIM = env_str("FINSAM_OIDC_ROLLER_CLAIM")
FINSAM_OIDC_ROLLER: dict[str, str] = dict(
    (varde.strip(), roll.strip())
    for varde, _, roll in (par.rpartition("=") for par in env_list("FINSAM_OIDC_ROLLER"))
    if varde.strip() and roll.strip()
)
FINSAM_OIDC_FORBUND = env_str("FINSAM_OIDC_FORBUND")  # kortnamn: the förbund of created accounts
# Off: the login page shows only the OIDC button and no door takes a password (the form, the
# admin, and Django's password backend is not loaded).
FINSAM_LOKAL_INLOGGNING = env_bool("FINSAM_LOKAL_INLOGGNING", True)
if not FINSAM_LOKAL_INLOGGNING:
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")
if FINSAM_OIDC_AKTIV:
    AUTHENTICATION_BACKENDS.append("registrering.oidc.OidcBackend")
if OIDC_OP_LOGOUT_ENDPOINT:
    # The logout form's answer redirects to the provider, and form-action covers redirects.
    _idp = "/".join(OIDC_OP_LOGOUT_ENDPOINT.split("/", 3)[:3])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [SELF, _idp]

# Upload limits (import files are at most 10 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024

# Import and export (django-import-export, registrering.resources); see README "Import och export".
FINSAM_IMPORT_MAX_BYTES = 10 * 1024 * 1024
# Rows are counted as they are read; a file with more is refused before it is imported.
FINSAM_IMPORT_MAX_RADER = env_int("FINSAM_IMPORT_MAX_RADER", 100_000)
FINSAM_IMPORT_MAX_UPPACKAD_BYTES = 200 * 1024 * 1024  # an xlsx's unpacked parts (zip bomb)
# In the admin, a confirmed file with more rows than this is imported by a task in the queue
# (registrering.importuppgifter), with a status page, instead of in the request.
FINSAM_IMPORT_KO_RADER = env_int("FINSAM_IMPORT_KO_RADER", 2_000)
# The admin's uploads between preview and confirm (registrering.importlagring): a folder of
# their own, shared by every process that serves the admin; unconfirmed ones go after an hour.
FINSAM_IMPORT_TMP_DIR = Path(env_str("FINSAM_IMPORT_TMP_DIR") or BASE_DIR / "var" / "importer")
FINSAM_IMPORT_TMP_MAX_ALDER = 60 * 60
IMPORT_EXPORT_TMP_STORAGE_CLASS = "registrering.importlagring.ImportLagring"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Text cells starting with =, +, - or @ are neutralised in every export (formula injection).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# One JSON object per line with the request id (finsam.loggning); plain text for `make run`.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = logging_config(format=LOG_FORMAT, niva=env_str("LOG_LEVEL", "WARNING"))
