"""The reminders over real SMTP: the test starts an SMTP server (aiosmtpd) on 127.0.0.1, runs
the Celery task as beat would, and reads what the server received."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as standardpolicy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from registrering.models import Manadsrapport, SkickadPaminnelse
from registrering.permissions import Roll
from registrering.tasks import skicka_paminnelser
from tests import factories as f

pytestmark = pytest.mark.django_db

BAS = "https://finsam.example.se"


class Brevlada:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.brev: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        meddelande = email.message_from_bytes(envelope.content, policy=standardpolicy)
        self.brev.append((envelope.mail_from, list(envelope.rcpt_tos), meddelande))
        return "250 OK"


def amne(brev: EmailMessage) -> str:
    """The decoded subject. Django folds a long encoded subject onto the next line
    ("Subject:\n =?utf-8?q?…"), which mail clients unfold; Python's parser keeps the space."""
    return str(brev["Subject"]).strip()


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Brevlada, int]]:
    brevlada = Brevlada()
    port = _ledig_port()
    controller = Controller(brevlada, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            DEFAULT_FROM_EMAIL="Finsam uppföljning <finsam@example.se>",
            FINSAM_BAS_URL=BAS,
        ):
            yield brevlada, port
    finally:
        controller.stop()


def test_paminnelser_och_veckosammanfattning_over_smtp(smtp, forbund):
    brevlada, _port = smtp
    motala = f.InsatsFactory(forbund=forbund, namn="Försteg Motala", startdatum=dt.date(2026, 9, 1))
    anna = f.UserFactory(
        username="anna",
        first_name="Anna",
        email="anna@example.se",
        forbund=forbund,
        roll=Roll.INSATSANSVARIG,
    )
    motala.insatsansvariga.add(anna)
    f.ManadsrapportFactory(insats=motala, ar=2026, manad=9, status=Manadsrapport.Status.RETURNERAD)
    f.UserFactory(
        username="vera",
        email="vera@example.se",
        forbund=forbund,
        roll=Roll.VERKSAMHETSUTVECKLARE,
        is_staff=True,
    )
    utan = f.UserFactory(username="utan", email="", forbund=forbund, roll=Roll.INSATSANSVARIG)
    motala.insatsansvariga.add(utan)
    # Opted out: gets nothing.
    f.UserFactory(
        username="nej",
        email="nej@example.se",
        forbund=forbund,
        roll=Roll.INSATSANSVARIG,
        paminnelse_manad=False,
    ).ansvar_for_insatser.add(motala)

    # Thursday 12 November 2026: two days after October's deadline (10 November).
    resultat = skicka_paminnelser.apply(args=["2026-11-12"]).get()
    assert resultat == {"skickade": 1, "redan_skickade": 0, "utan_epost": 1, "misslyckade": 0}
    assert len(brevlada.brev) == 1
    avsandare, mottagare, brev = brevlada.brev[0]
    assert (avsandare, mottagare) == ("finsam@example.se", ["anna@example.se"])
    assert amne(brev) == "Månadsrapporter väntar på dig – sista dagen var 10 november 2026"
    assert brev["To"] == "anna@example.se"
    text = brev.get_content().replace("\r\n", "\n")  # SMTP line ends
    assert "Hej Anna!" in text
    assert "- oktober 2026: saknas (sista dag 10 november 2026, försenad)" in text
    assert "- september 2026: returnerad (sista dag 10 oktober 2026, försenad)" in text
    assert f"{BAS}/registrering/insats/{motala.pk}/2026/10/" in text
    assert f"Stäng av dem under Påminnelser:\n{BAS}/konton/paminnelser/" in text

    # beat (or cron) runs again the same day: nothing more is sent.
    resultat = skicka_paminnelser.apply(args=["2026-11-12"]).get()
    assert resultat["redan_skickade"] == 1
    assert len(brevlada.brev) == 1

    # Monday 16 November: the verksamhetsutvecklare's weekly summary.
    assert skicka_paminnelser.apply(args=["2026-11-16"]).get()["skickade"] == 1
    _, mottagare, brev = brevlada.brev[1]
    assert mottagare == ["vera@example.se"]
    assert amne(brev) == "Veckosammanfattning: månadsrapporter i STB, vecka 47"
    text = brev.get_content().replace("\r\n", "\n")  # SMTP line ends
    assert "Försteg Motala\n  Inte inskickade:\n  - oktober 2026 (försenad)" in text
    assert "Returnerade:\n  - september 2026 (försenad)" in text
    assert f"{BAS}/konton/paminnelser/" in text
    assert SkickadPaminnelse.objects.count() == 2
