"""Every write to the förbund's data: permission-checked, validated, atomic and audited.

Services raise `PermissionDenied` when the user may not act and `ValidationError` (with Swedish
messages keyed by field, from `registrering.regler`) when the input is wrong; nothing is saved
in either case. The browser, the admin, the import and the commands all write through them.
"""

from registrering.services.balans import (
    BalansForslag,
    JusteringImportRad,
    arstotal_fel,
    arstotal_spara,
    arstotal_ta_bort,
    ingaende_balans_fel,
    ingaende_balans_forslag,
    ingaende_balans_satt,
    ingaende_balans_ta_bort,
    justering_andra,
    justering_fel,
    justering_skapa,
    justering_ta_bort,
    justeringar_fel,
    justeringar_importera,
)
from registrering.services.bilaga import (
    arsbilaga_spara,
    bilagetexter_spara,
    budgeterad_volym_fel,
    budgeterad_volym_satt,
    budgeterad_volym_ta_bort,
    kommentar_spara,
    utfall_spara,
    utfall_spara_period,
)
from registrering.services.enkat import (
    enkatsvar_fel,
    enkatsvar_satt,
    enkatsvar_spara,
    enkatsvar_ta_bort,
)
from registrering.services.forbund import forbund_spara, forbund_ta_bort
from registrering.services.insats import (
    insats_fel,
    insats_spara,
    insats_ta_bort,
    insatsgrupp_skapa,
)
from registrering.services.manad import (
    Manadsuppgifter,
    SamtidigAndring,
    manad_fel,
    manadsrapport_godkann,
    manadsrapport_las_upp,
    manadsrapport_markera_registrerad,
    manadsrapport_returnera,
    manadsrapport_skicka_in,
    manadsrapport_spara,
    manadsrapport_ta_bort,
    manadsrapporter_markera_registrerade,
    rapport_historik,
)

__all__ = [
    "BalansForslag",
    "JusteringImportRad",
    "Manadsuppgifter",
    "SamtidigAndring",
    "arsbilaga_spara",
    "arstotal_fel",
    "arstotal_spara",
    "arstotal_ta_bort",
    "bilagetexter_spara",
    "budgeterad_volym_fel",
    "budgeterad_volym_satt",
    "budgeterad_volym_ta_bort",
    "enkatsvar_fel",
    "enkatsvar_satt",
    "enkatsvar_spara",
    "enkatsvar_ta_bort",
    "forbund_spara",
    "forbund_ta_bort",
    "ingaende_balans_fel",
    "ingaende_balans_forslag",
    "ingaende_balans_satt",
    "ingaende_balans_ta_bort",
    "insats_fel",
    "insats_spara",
    "insats_ta_bort",
    "insatsgrupp_skapa",
    "justering_andra",
    "justering_fel",
    "justering_skapa",
    "justering_ta_bort",
    "justeringar_fel",
    "justeringar_importera",
    "kommentar_spara",
    "manad_fel",
    "manadsrapport_godkann",
    "manadsrapport_las_upp",
    "manadsrapport_markera_registrerad",
    "manadsrapport_returnera",
    "manadsrapport_skicka_in",
    "manadsrapport_spara",
    "manadsrapport_ta_bort",
    "manadsrapporter_markera_registrerade",
    "rapport_historik",
    "utfall_spara",
    "utfall_spara_period",
]
