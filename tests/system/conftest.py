"""The systemadministratör persona: installation level, no förbund, not staff, not superuser."""

from __future__ import annotations

import pytest

from registrering.permissions import Roll
from tests import factories


@pytest.fixture
def systemadministrator(db):
    return factories.UserFactory(
        username="sysadmin", forbund=None, roll=Roll.SYSTEMADMINISTRATOR, email="sys@example.se"
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
