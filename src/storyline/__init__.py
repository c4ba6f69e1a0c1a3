"""storyline: turn a pile of news articles into stories a person can read, check and cite."""

from storyline.api import ingest, report, run
from storyline.app import App, open_app
from storyline.errors import StorylineError
from storyline.models import (
    Article,
    Brief,
    BriefSentence,
    Citation,
    DateMention,
    Entity,
    EntityMention,
    Quote,
    Story,
    TimelineEntry,
)
from storyline.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "App",
    "Article",
    "Brief",
    "BriefSentence",
    "Citation",
    "DateMention",
    "Entity",
    "EntityMention",
    "Quote",
    "Settings",
    "Story",
    "StorylineError",
    "TimelineEntry",
    "__version__",
    "ingest",
    "open_app",
    "report",
    "run",
]
