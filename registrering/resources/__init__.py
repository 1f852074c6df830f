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
from registrering.resources.manader import ManadsdataResource, VolymdataResource

__all__ = [
    "ENV_ANVANDARE",
    "ENV_GODKAND",
    "INGEN_BEHORIGHET",
    "RESURSER",
    "ArstotalResource",
    "AvslutadePerAnledningResource",
    "AvslutsanledningKategoriResource",
    "BudgeteradVolymResource",
    "EffektnyckeltalResource",
    "EnkatsvarResource",
    "ErsattningsnyckeltalResource",
    "FinsamResource",
    "ForflyttningResource",
    "IngaendeBalansResource",
    "InkomstnyckeltalResource",
    "InsatsResource",
    "JusteringResource",
    "ManadsdataResource",
    "NyaPerHuvudmanResource",
    "UtfallResource",
    "UtfallsmalResource",
    "VolymdataResource",
]
