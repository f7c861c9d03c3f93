"""Outcome measures as data: definitions, scoring, bands, missing-item rules, paired NHS
Talking Therapies outcomes. Pure Python: no Qt, no SQLAlchemy."""

from wellbeing_desktop.domain.measures.definitions import (
    NOT_APPLICABLE,
    Band,
    DefinitionProblem,
    InvalidDefinition,
    Item,
    LoadResult,
    MeasureDefinition,
    Option,
    load_definitions,
    normalise_id,
)
from wellbeing_desktop.domain.measures.outcomes import (
    GAD7_RULE,
    PHQ9_RULE,
    PairedOutcome,
    PairRule,
    finished_course,
    paired_outcome,
    rules_from,
)
from wellbeing_desktop.domain.measures.scoring import (
    Answer,
    AnswerError,
    AnswerProblem,
    ItemResult,
    Score,
    check_answers,
    describe_allowed,
    parse_answer,
    score,
)
from wellbeing_desktop.domain.measures.series import MeasureSeries

__all__ = [
    "GAD7_RULE", "NOT_APPLICABLE", "PHQ9_RULE", "Answer", "AnswerError", "AnswerProblem", "Band",
    "DefinitionProblem", "InvalidDefinition", "Item", "ItemResult", "LoadResult",
    "MeasureDefinition", "MeasureSeries", "Option", "PairRule", "PairedOutcome", "Score",
    "check_answers", "describe_allowed", "finished_course", "load_definitions", "normalise_id",
    "paired_outcome", "parse_answer", "rules_from", "score",
]
