"""The admin, in Swedish, under the same rules as the rest of the product.

Every queryset is scoped to the user's förbund (a superuser sees all) through
`BasAdmin.forbund_path`; foreign key and many-to-many choices are scoped by the admin of the
related model, so a user can never pick another förbund's objects. Model permissions come from
the groups in `registrering.roles`; on top of them writing requires the administrating roles of
`registrering.permissions`.

The admin is a thin door onto the services: a month, an insats, an ingående balans, a justering,
a year's totals, a volume target, an outcome goal, a year's key figures, a transition, survey
answers, an utfall, a comment, the compilation date and a member with its population are written
by the same service functions as in the browser and the import (an inline's rows too,
`bas.RaderGenomTjanst`), and their forms ask `registrering.regler` (through the services' `*_fel`
functions, or `registrering.forbundsregler` for the members) so that a bad input gets the
same message at the same field; a refusal the form did not foresee is shown on the form page too,
with nothing saved. Numbers are read as in the browser (`bas.SIFFROR_SOM_I_WEBBLASAREN`). Every
other save and delete writes its audit row
through `registrering.audit`, the one writer.

One module per subject; importing this package registers them all.
"""

from django.contrib import admin as _admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from registrering.admin import (  # noqa: F401  (each module registers its admins)
    balanser,
    bas,
    effekter,
    ekonomi,
    enkater,
    filer,
    fordelningar,
    insatser,
    manader,
    organisation,
    paminnelser,
    samfinansiering,
)

# django-otp's own device admin shows every account's secret key and knows no förbund: a device
# is reset by the kansli on /konton/tvasteg/forbundet/ (registrering.tvastegsvyer) instead.
if _admin.site.is_registered(TOTPDevice):
    _admin.site.unregister(TOTPDevice)
