"""The förbund's data: what is entered and approved.

Only aggregated counts are stored, never anything that identifies a participant. Every record
belongs to exactly one förbund, directly or through its insats. Counts that may not be negative
are guarded by `CheckConstraint`s; sums that must agree across rows (a breakdown against its
total) are enforced by `registrering.services`, which is the only code that writes them.

One module per subject; everything is importable from `registrering.models`.
"""

from registrering.models.audit import AuditEntry
from registrering.models.balanser import (
    Arstotal,
    BudgeteradVolym,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Justering,
)
from registrering.models.bilaga import Arsbilaga, Kommentar, Kostnadspost, Utfall, Verksamhetsplan
from registrering.models.dataversion import Dataversion
from registrering.models.effekter import (
    Betalare,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forflyttning,
    Inkomstnyckeltal,
    Utfallsmal,
)
from registrering.models.enkater import (
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Respondentgrupp,
    Svarsalternativ,
)
from registrering.models.falt import PRIVACY_HELP
from registrering.models.insatser import Avslutsanledning, Insats, InsatsQuerySet
from registrering.models.manader import AvslutadePerAnledning, Manadsrapport, NyaPerHuvudman
from registrering.models.organisation import (
    Befolkning,
    Forbund,
    Huvudman,
    Insatsgrupp,
    Malgrupp,
    Medlem,
    User,
)
from registrering.models.paminnelser import SkickadPaminnelse
from registrering.models.samfinansiering import Medfinansiering
from registrering.models.samverkan import Forbundsgrupp

__all__ = [
    "PRIVACY_HELP",
    "Arsbilaga",
    "Arstotal",
    "AuditEntry",
    "AvslutadePerAnledning",
    "Avslutsanledning",
    "Befolkning",
    "Betalare",
    "BudgeteradVolym",
    "Dataversion",
    "Effektnyckeltal",
    "Enkat",
    "Enkatfraga",
    "Enkatsvar",
    "Enkattillfalle",
    "Ersattningsnyckeltal",
    "Forbund",
    "Forbundsgrupp",
    "Forflyttning",
    "Huvudman",
    "IngaendeBalans",
    "IngaendeBalansHuvudman",
    "Inkomstnyckeltal",
    "Insats",
    "InsatsQuerySet",
    "Insatsgrupp",
    "Justering",
    "Kommentar",
    "Kostnadspost",
    "Malgrupp",
    "Manadsrapport",
    "Medfinansiering",
    "Medlem",
    "NyaPerHuvudman",
    "Respondentgrupp",
    "SkickadPaminnelse",
    "Svarsalternativ",
    "User",
    "Utfall",
    "Utfallsmal",
    "Verksamhetsplan",
]
