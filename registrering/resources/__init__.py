"""Import and export of the förbund's data as Excel and CSV, one module per subject.

The resources are named here so that `manage.py import registrering.resources.<Resource>`
finds them; `registrering.resources.bas` explains what they share.
"""

from registrering.resources.alla import RESURSER
from registrering.resources.balanser import (
    ArstotalResource,
    BudgeteradVolymResource,
    IngaendeBalansResource,
    JusteringResource,
)
from registrering.resources.bas import ENV_ANVANDARE, ENV_GODKAND, INGEN_BEHORIGHET, FinsamResource
from registrering.resources.effekter import (
    AvslutsanledningKategoriResource,
    EffektnyckeltalResource,
    ErsattningsnyckeltalResource,
    ForflyttningResource,
    InkomstnyckeltalResource,
    UtfallsmalResource,
)
from registrering.resources.ekonomi import UtfallResource
from registrering.resources.enkater import EnkatsvarResource
from registrering.resources.fordelningar import (
    AvslutadePerAnledningResource,
    NyaPerHuvudmanResource,
)
from registrering.resources.insatser import InsatsResource
from registrering.resources.katalog import (
    AvslutsanledningResource,
    ForbundstextResource,
    HuvudmanResource,
    KommentarResource,
    MalgruppResource,
)
from registrering.resources.manader import ManadsdataResource, VolymdataResource
from registrering.resources.medlemmar import MedlemResource
from registrering.resources.plan import KostnadspostResource, VerksamhetsplanResource
from registrering.resources.samfinansiering import MedfinansieringResource

__all__ = [
    "ENV_ANVANDARE",
    "ENV_GODKAND",
    "INGEN_BEHORIGHET",
    "RESURSER",
    "ArstotalResource",
    "AvslutadePerAnledningResource",
    "AvslutsanledningKategoriResource",
    "AvslutsanledningResource",
    "BudgeteradVolymResource",
    "EffektnyckeltalResource",
    "EnkatsvarResource",
    "ErsattningsnyckeltalResource",
    "FinsamResource",
    "ForbundstextResource",
    "ForflyttningResource",
    "HuvudmanResource",
    "IngaendeBalansResource",
    "InkomstnyckeltalResource",
    "InsatsResource",
    "JusteringResource",
    "KommentarResource",
    "KostnadspostResource",
    "MalgruppResource",
    "ManadsdataResource",
    "MedfinansieringResource",
    "MedlemResource",
    "NyaPerHuvudmanResource",
    "UtfallResource",
    "UtfallsmalResource",
    "VerksamhetsplanResource",
    "VolymdataResource",
]
