"""Label projection: source entity spans onto target tokens, through markers or alignments.

Entry points: :func:`project_corpus` (translation records), :func:`project_parallel` (a user's
parallel text), :func:`project_spans` (one sentence). Output shapes: docs/formats.md.
"""

from augment.project.corpus import (
    STRATEGIES,
    check_parallel,
    needs_alignment,
    parallel_pairs,
    project_corpus,
    project_parallel,
    project_record,
    to_sentences,
)
from augment.project.filters import DEFAULTS as DEFAULT_FILTERS
from augment.project.filters import parse_filters
from augment.project.report import report_markdown
from augment.project.spans import Projected, ProjectionOptions, baseline_spans, project_spans

__all__ = [
    "DEFAULT_FILTERS", "STRATEGIES", "Projected", "ProjectionOptions", "baseline_spans", "check_parallel",
    "needs_alignment", "parallel_pairs", "parse_filters", "project_corpus", "project_parallel",
    "project_record", "project_spans", "report_markdown", "to_sentences",
]
