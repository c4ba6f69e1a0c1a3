"""Every error storyline raises on purpose.

The tree::

    StorylineError                 base: catch this to catch everything storyline means to raise
    ├── UsageError                 the caller asked for something that cannot be done (bad flag, bad kind)
    ├── InputError                 an input cannot be read at all (missing path, unreadable directory)
    ├── DocumentRejected           one document is unusable; carries a stable ``reason`` code
    ├── FetchError                 a URL or feed could not be fetched (timeout, status, too large)
    │   └── BlockedAddressError    the URL resolves to a private, loopback or link-local address
    ├── StoreError                 the database is missing, locked, or from a newer storyline
    ├── ModelNotFoundError         a language model package is not installed (message has the pip command)
    └── PipelineError              stages were ordered so that one runs before what it requires

Messages name the input, what was wrong, and what to do about it; the CLI prints them as one line.
"""

from __future__ import annotations

__all__ = [
    "BlockedAddressError",
    "DocumentRejected",
    "FetchError",
    "InputError",
    "ModelNotFoundError",
    "PipelineError",
    "StoreError",
    "StorylineError",
    "UsageError",
]


class StorylineError(Exception):
    """Base class of every error storyline raises on purpose."""

    code = "E000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class UsageError(StorylineError):
    """The caller asked for something that cannot be done."""

    code = "E001"


class InputError(StorylineError):
    """An input cannot be read at all."""

    code = "E002"


class DocumentRejected(StorylineError):
    """One document is unusable; ``reason`` is a stable code stored with it."""

    code = "E010"

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class FetchError(StorylineError):
    """A URL or feed could not be fetched."""

    code = "E020"


class BlockedAddressError(FetchError):
    """The URL points at a private, loopback or link-local address and that is not allowed."""

    code = "E021"


class StoreError(StorylineError):
    """The database cannot be used."""

    code = "E030"


class ModelNotFoundError(StorylineError):
    """A language model package is not installed."""

    code = "E040"


class PipelineError(StorylineError):
    """Stages are ordered so that one runs before what it requires."""

    code = "E050"
