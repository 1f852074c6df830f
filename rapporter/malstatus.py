"""The goal status in words, one rule for every goal that is a number to reach: the goal page's
volume goals (`rapporter.mal`) and the outcome goals per insats (`effekter.selectors`).

A leaf: it imports nothing from rapporter, so that effekter can use it while rapporter.mal
imports effekter.
"""

from __future__ import annotations

from decimal import Decimal

NAR_MALET, RISK, NAR_INTE = "Når målet", "Risk", "Når inte målet"
RISKGRANS = Decimal("0.9")  # a prognosis within 10 % of the goal is a risk, not a failure


def status_for(prognos: int | Decimal, mal: int | Decimal) -> str:
    """ "Når målet" at or above the goal, "Risk" within 10 % below it, else "Når inte målet"."""
    if prognos >= mal:
        return NAR_MALET
    if prognos >= mal * RISKGRANS:
        return RISK
    return NAR_INTE
