"""Demo data: Samordningsförbundet Västra Östergötland (SVÖ) with its real 2025 figures.

The 2025 year reproduces every table of the bilaga "Uppföljning FINSAM 2025" (seed 000): the
yearly figures per insats are the seed's, split by gender and month by rules in
`fordelning.py`, and the five insatser whose pågående do not reconcile carry explicit
justeringar. The members, populations, budgeted volumes and allocation are the verksamhetsplan
2026's (seed 001). Yearly totals 2020–2024, the gender and month splits and all of 2026 are
invented but plausible, and marked as demo data.

`data.py` holds the figures, `fordelning.py` splits them, `loader.py` writes them through the
services (as the förbund's first import and its reporting month, `manader.py`) with the
fixtures no service writes (`fixtures.py`); `ladda(idag=…)` is idempotent: it writes only what
is missing or differs.
"""

from __future__ import annotations

from registrering.demodata.data import BUDGET_2026, DEMO_LOSENORD, FORBUND_NAMN
from registrering.demodata.fordelning import fordela
from registrering.demodata.loader import demo_anvandare, ladda

__all__ = ["BUDGET_2026", "DEMO_LOSENORD", "FORBUND_NAMN", "demo_anvandare", "fordela", "ladda"]
