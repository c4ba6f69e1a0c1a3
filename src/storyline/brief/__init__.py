"""Per-story output: a cited extractive summary, a timeline, quotes, agreements, differences, sources."""

from storyline.brief.build import build_brief
from storyline.brief.bundle import StoryBundle
from storyline.brief.dates import DateValue, parse_date_value
from storyline.brief.support import SupportResult, apply_support, check_support

__all__ = [
    "DateValue",
    "StoryBundle",
    "SupportResult",
    "apply_support",
    "build_brief",
    "check_support",
    "parse_date_value",
]
