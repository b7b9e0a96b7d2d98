"""A small exception hierarchy whose messages name the input and the reason."""

from __future__ import annotations


class PolicyminerError(Exception):
    """Base class: every error the library raises on bad input."""

    def __init__(self, source: str, reason: str, stage: str = "ingest") -> None:
        self.source = str(source)
        self.reason = reason
        self.stage = stage
        super().__init__(f"{self.source}: {reason}")


class IngestError(PolicyminerError):
    """The input could not be read as a notice (missing, empty, corrupt, unsupported)."""


class ExtractError(PolicyminerError):
    """A pipeline stage failed on a document that was read."""

    def __init__(self, source: str, reason: str, stage: str = "extract") -> None:
        super().__init__(source, reason, stage)
