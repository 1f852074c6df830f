"""Test settings: fast password hashing, in-memory cache, DEBUG off like production."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from finsam.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Built bilagor go to a folder of this test process's own; tests/conftest.py empties it after
# each test, as the cache is emptied.
FINSAM_BILAGOR_DIR = Path(tempfile.mkdtemp(prefix="finsam-bilagor-"))
atexit.register(shutil.rmtree, FINSAM_BILAGOR_DIR, True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "bilagor": {
        "BACKEND": "rapporter.lagring.BilageLagring",
        "OPTIONS": {"location": str(FINSAM_BILAGOR_DIR)},
    },
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Nobody must type a code after the password (tests log in with force_login and the login form);
# tests/test_tvasteg.py turns the requirement on.
FINSAM_TVASTEG_KRAVS = []
# The per-address count lives in the cache, which the tests do not empty: tests/test_inloggning.py
# sets a low limit where it is about it.
FINSAM_INLOGGNING_FORSOK_PER_ADRESS = 1000
FINSAM_FORBERED_PDF = False  # no background threads in tests
FINSAM_BYGG_I_BAKGRUNDEN = False  # a cold PDF is built in the request that asks for it
# WhiteNoise serves collected files in production; tests (and the live server) use staticfiles.
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
# The live server shares the test's in-memory SQLite connection: a session saved by a late request
# of the previous browser test (a lazy chart image) would write in the middle of the next test's
# set-up. As in production, a session is saved when it changed or its renewal is due (login counts
# as one; finsam.sessionsfornyelse), so no late request writes it.
SESSION_SAVE_EVERY_REQUEST = False
