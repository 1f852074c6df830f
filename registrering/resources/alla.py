"""Every resource, in the order a new förbund imports them."""

from __future__ import annotations

from registrering.resources.balanser import (
    ArstotalResource,
    BudgeteradVolymResource,
    IngaendeBalansResource,
    JusteringResource,
)
from registrering.resources.bas import FinsamResource
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

RESURSER: tuple[type[FinsamResource], ...] = (
    HuvudmanResource,
    AvslutsanledningResource,
    MalgruppResource,
    ForbundstextResource,
    MedlemResource,
    InsatsResource,
    IngaendeBalansResource,
    ManadsdataResource,
    AvslutadePerAnledningResource,
    NyaPerHuvudmanResource,
    JusteringResource,
    VolymdataResource,
    ArstotalResource,
    BudgeteradVolymResource,
    EnkatsvarResource,
    VerksamhetsplanResource,
    KostnadspostResource,
    UtfallResource,
    KommentarResource,
    AvslutsanledningKategoriResource,
    UtfallsmalResource,
    EffektnyckeltalResource,
    ErsattningsnyckeltalResource,
    InkomstnyckeltalResource,
    ForflyttningResource,
    MedfinansieringResource,
)
