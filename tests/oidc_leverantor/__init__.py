"""A real OpenID Connect provider for the tests (django-oidc-provider), run as its own process.

`start.py` migrates its own SQLite file, creates the test users, one RP client and a signing
key, and serves on 127.0.0.1; `tests/test_oidc.py` starts it and drives a login through it.
"""
