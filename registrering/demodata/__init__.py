"""Demo data: Samordningsförbundet Västra Östergötland (SVÖ) with its real 2025 figures.

The 2025 year reproduces every table of the bilaga "Uppföljning FINSAM 2025" (seed 000): the
yearly figures per insats are the seed's, split by gender and month by rules in `loader.py`,
and the five insatser whose pågående do not reconcile carry explicit justeringar. The members,
populations, budgeted volumes and allocation are the verksamhetsplan 2026's (seed 001). Yearly
totals 2020–2024, the gender and month splits and all of 2026 are invented but plausible, and
marked as demo data.

`data.py` holds the figures, `loader.py` writes them; `ladda(idag=…)` is idempotent: every row
is matched on its natural key.
"""

from __future__ import annotations

from registrering.demodata.data import BUDGET_2026, DEMO_LOSENORD, FORBUND_NAMN
from registrering.demodata.loader import demo_anvandare, fordela, ladda

__all__ = ["BUDGET_2026", "DEMO_LOSENORD", "FORBUND_NAMN", "demo_anvandare", "fordela", "ladda"]
