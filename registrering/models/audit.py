"""The audit log: who changed what, when, from what to what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from registrering.models.organisation import Forbund


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def andringar(self) -> AuditQuerySet:
        """Rows about data: everything but logins, logouts, lockouts and password changes."""
        return self.exclude(action__in=INLOGGNINGSHANDELSER)

    def inloggningar(self) -> AuditQuerySet:
        return self.filter(action__in=INLOGGNINGSHANDELSER)


class AuditEntry(models.Model):
    """Who changed what, when: old → new for every field that changed."""

    class Action(models.TextChoices):
        SKAPAD = "skapad", "Skapad"
        ANDRAD = "andrad", "Ändrad"
        BORTTAGEN = "borttagen", "Borttagen"
        INSKICKAD = "inskickad", "Inskickad"
        RETURNERAD = "returnerad", "Returnerad"
        GODKAND = "godkand", "Godkänd"
        UPPLAST = "upplast", "Upplåst"
        REGISTRERAD = "registrerad", "Registrerad i Uppföljning Finsam"
        IMPORTERAD = "importerad", "Importerad"
        # Logins (registrering.inloggning): the row's object is the account.
        INLOGGAD = "inloggad", "Inloggad"
        INLOGGNING_FEL = "inlogg_fel", "Misslyckad inloggning"
        UTLOGGAD = "utloggad", "Utloggad"
        SPARRAD = "sparrad", "Spärrad efter för många försök"
        AVSPARRAD = "avsparrad", "Spärr hävd"
        LOSENORD_BYTT = "losenord", "Lösenord bytt"
        # Two-factor (registrering.tvasteg): the row's object is the account.
        TVASTEG_AKTIVERAT = "tvasteg_pa", "Tvåstegsverifiering aktiverad"
        TVASTEG_BORTTAGET = "tvasteg_av", "Tvåstegsverifiering borttagen"
        TVASTEG_OK = "tvasteg_ok", "Inloggning bekräftad med kod"
        TVASTEG_FEL = "tvasteg_fel", "Felaktig kod för tvåstegsverifiering"

    # The relations hold no constraint in the database (`db_constraint=False`): the log is
    # appended to, never joined on to keep it whole, and the database's deferred check of each
    # relation of each row at COMMIT was a third of a large import's commit (100 000 rows,
    # 300 000 checks). Django still follows `on_delete` for them; only a write past Django (raw
    # SQL) could leave a row naming a förbund or user that is gone.
    forbund = models.ForeignKey(
        Forbund,
        verbose_name="förbund",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # A default, not auto_now_add: an anonymous survey answer's row is written with the date
    # only (audit.logga_anonymt), in its first and only write.
    tid = models.DateTimeField("tid", default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField("händelse", max_length=12, choices=Action.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name="typ",
        on_delete=models.CASCADE,
        db_constraint=False,
    )
    object_id = models.CharField("objekt-id", max_length=64)
    object_repr = models.CharField("objekt", max_length=300)
    changes = models.JSONField("ändringar", default=dict, blank=True)
    kommentar = models.TextField("kommentar", blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "händelse i ändringsloggen"
        verbose_name_plural = "ändringslogg"
        ordering = ["-tid", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_objekt"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr}"


#: The actions about logging in (registrering.inloggning), as opposed to changes of data.
INLOGGNINGSHANDELSER = (
    AuditEntry.Action.INLOGGAD,
    AuditEntry.Action.INLOGGNING_FEL,
    AuditEntry.Action.UTLOGGAD,
    AuditEntry.Action.SPARRAD,
    AuditEntry.Action.AVSPARRAD,
    AuditEntry.Action.LOSENORD_BYTT,
    AuditEntry.Action.TVASTEG_AKTIVERAT,
    AuditEntry.Action.TVASTEG_BORTTAGET,
    AuditEntry.Action.TVASTEG_OK,
    AuditEntry.Action.TVASTEG_FEL,
)
