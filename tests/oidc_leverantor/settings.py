"""Settings of the test provider: a separate Django project with its own SQLite database.

Read from the environment that `start.py` is given: LEVERANTOR_DB (the SQLite file) and
LEVERANTOR_URL (its own address, the issuer).
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "test-provider-only-not-a-secret-0123456789abcdefghijklmnop"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_URL = os.environ["LEVERANTOR_URL"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_leverantor.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["LEVERANTOR_DB"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/konto/logga-in/"
# The app under test runs on another port of the same host: cookies do not tell ports apart.
SESSION_COOKIE_NAME = "leverantor_session"
CSRF_COOKIE_NAME = "leverantor_csrf"

OIDC_USERINFO = "tests.oidc_leverantor.anspraak.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc_leverantor.anspraak.GrupperClaims"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
