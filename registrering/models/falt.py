"""What the models share: the privacy help text, non-negative counts and the year field."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from registrering.kalender import MINSTA_AR, STORSTA_AR

PRIVACY_HELP = "Skriv aldrig namn, personnummer eller annat som kan identifiera en deltagare."


def non_negative(*fields: str, prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=f"{prefix}_{field}_gte_0")
        for field in fields
    ]


def year_field(verbose_name: str = "år") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, validators=[MinValueValidator(MINSTA_AR), MaxValueValidator(STORSTA_AR)]
    )
