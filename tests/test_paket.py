"""Every app of the project is in the installed package: `pyproject.toml`'s package list and
mypy's files name each of the project's own apps in INSTALLED_APPS (a new app, such as
samverkan, was once left out of both)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from django.conf import settings

ROT = Path(__file__).resolve().parent.parent


def _egna_appar() -> set[str]:
    appar = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    return {app for app in appar if (ROT / app / "__init__.py").exists()}


def test_varje_egen_app_ar_med_i_paketet_och_i_mypy():
    pyproject = tomllib.loads((ROT / "pyproject.toml").read_text(encoding="utf-8"))
    monster = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    mypy = set(pyproject["tool"]["mypy"]["files"])
    appar = _egna_appar()
    assert {"registrering", "samverkan"} <= appar
    assert {a for a in appar if not any(fnmatch.fnmatch(a, m) for m in monster)} == set()
    assert appar - mypy == set()
