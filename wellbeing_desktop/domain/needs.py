"""The needs domains of the holistic needs check (DESIGN §1), shared by casework and directory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NeedsDomain:
    code: str
    label: str
    kind: str  # "signposting" (wider determinants) or "health" (health promotion)


NEEDS_DOMAINS: tuple[NeedsDomain, ...] = (
    NeedsDomain("housing", "Housing", "signposting"),
    NeedsDomain("money_debt", "Money and debt", "signposting"),
    NeedsDomain("benefits", "Benefits", "signposting"),
    NeedsDomain("work", "Work, education and volunteering", "signposting"),
    NeedsDomain("social", "Social connection and loneliness", "signposting"),
    NeedsDomain("caring", "Caring", "signposting"),
    NeedsDomain("physical_activity", "Physical activity", "health"),
    NeedsDomain("eating", "Eating and weight", "health"),
    NeedsDomain("sleep", "Sleep", "health"),
    NeedsDomain("smoking", "Smoking", "health"),
    NeedsDomain("alcohol", "Alcohol and substances", "health"),
    NeedsDomain("long_term_conditions", "Long-term conditions", "health"),
    NeedsDomain("digital", "Digital access", "signposting"),
    NeedsDomain("legal", "Legal", "signposting"),
    NeedsDomain("safety", "Safety at home", "signposting"),
)

DOMAIN_CODES: frozenset[str] = frozenset(d.code for d in NEEDS_DOMAINS)
_BY_CODE = {d.code: d for d in NEEDS_DOMAINS}


def domain_label(code: str) -> str:
    found = _BY_CODE.get(code)
    return found.label if found else code
