"""The audit log's relations (förbund, user, content type) hold no constraint in the database
(`db_constraint=False`, for a large import's COMMIT), and what a deletion does to the log is
still Django's `on_delete`: a deleted account leaves its rows without a user, a deleted förbund
takes its rows with it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from registrering.audit import audit_log
from registrering.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _relationer_med_constraint() -> list[str]:
    with connection.cursor() as cursor:
        relationer = connection.introspection.get_relations(cursor, AuditEntry._meta.db_table)
    return sorted(relationer)


def test_loggens_relationer_utan_databasens_constraint() -> None:
    assert _relationer_med_constraint() == []


def test_borttagning_foljer_on_delete(
    forbund: Any, annat_forbund: Any, verksamhetsutvecklare: Any
) -> None:
    annat = annat_forbund
    insats = factories.InsatsFactory(forbund=forbund)
    annan_insats = factories.InsatsFactory(forbund=annat)
    rad = audit_log(user=verksamhetsutvecklare, instance=insats, action=AuditEntry.Action.ANDRAD)
    kvar = audit_log(
        user=verksamhetsutvecklare, instance=annan_insats, action=AuditEntry.Action.ANDRAD
    )

    verksamhetsutvecklare.delete()
    rad.refresh_from_db()
    assert rad.user_id is None and rad.forbund_id == forbund.pk

    forbund.delete()
    assert not AuditEntry.objects.filter(pk=rad.pk).exists()
    assert AuditEntry.objects.filter(pk=kvar.pk, forbund=annat).exists()
