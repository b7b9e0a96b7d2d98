"""robots.txt rules per host, on top of the stdlib parser.

Why a wrapper: the stdlib parser fetches with urllib (no shared client, no politeness
delay, no archive); here the crawler fetches robots.txt itself and hands the outcome
over. Unavailability follows RFC 9309: 4xx means no rules (allow all), 5xx or an
unreachable server means complete disallow.
"""

from __future__ import annotations

import urllib.robotparser
from typing import Optional

AGENT_TOKEN = "policyminer"


class Robots:
    """The rules of one host."""

    def __init__(self, text: Optional[str] = None, status: int = 200) -> None:
        self.status = status
        self.text = text or ""
        self._rp = urllib.robotparser.RobotFileParser()
        if status in (401, 403) or status >= 500 or status == 0:
            self._rp.disallow_all = True
        elif 400 <= status < 500:
            self._rp.allow_all = True
        else:
            try:
                self._rp.parse(self.text.splitlines())
            except Exception:  # malformed file: the parser is lenient, but never fail a crawl on it
                self._rp.allow_all = True

    @property
    def unavailable(self) -> bool:
        """5xx or no answer: a temporary state, asked again on the next run."""
        return self.status == 0 or self.status >= 500

    def allowed(self, url: str, agent: str = AGENT_TOKEN) -> bool:
        try:
            return bool(self._rp.can_fetch(agent, url))
        except Exception:
            return True

    def crawl_delay(self, agent: str = AGENT_TOKEN) -> Optional[float]:
        try:
            d = self._rp.crawl_delay(agent)
        except Exception:
            return None
        if d is None:
            return None
        try:
            return float(d)
        except (TypeError, ValueError):
            return None

    def to_state(self) -> dict:
        return {"status": self.status, "text": self.text}

    @classmethod
    def from_state(cls, d: dict) -> "Robots":
        return cls(d.get("text"), int(d.get("status", 200)))
