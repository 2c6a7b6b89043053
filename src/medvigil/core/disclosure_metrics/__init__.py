"""How fast the disclosure program handles reports, computed from case moments.

Pure: callers pass each case's dated milestones and whether a service-level
clock is overdue (see `medvigil.core.deadlines`); nothing here reads the clock.
"""

from medvigil.core.disclosure_metrics.timings import (
    MEASURES,
    CaseMoments,
    Duration,
    ProgramMetrics,
    measure,
    summarise,
)

__all__ = ["MEASURES", "CaseMoments", "Duration", "ProgramMetrics", "measure", "summarise"]
