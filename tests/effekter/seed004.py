"""Seed 004's three förbund with their 2024 figures: the data lives with the demo data
(`registrering.demodata.seed004`), which the demo group "Jönköpings län" loads too."""

from registrering.demodata.seed004 import (
    AR,
    KATEGORIER,
    SEED004,
    Forbundsdata,
    Insatsdata,
    skapa_alla,
    skapa_forbund,
)
from registrering.demodata.seed004 import _skapa_insats as _skapa_insats

__all__ = [
    "AR",
    "KATEGORIER",
    "SEED004",
    "Forbundsdata",
    "Insatsdata",
    "skapa_alla",
    "skapa_forbund",
]
