"""policyminer: turn Chinese government notices into data.

Public API (imported lazily so that ``policyminer --help`` starts fast):
``extract``, ``extract_many``, ``parse_quantity``, ``resolve_time``, ``to_frames``.
"""

from __future__ import annotations

import logging
from typing import Any

__version__ = "0.1.0"

# jieba announces its dictionary load on stderr through the "jieba" logger; keep the CLI quiet
logging.getLogger("jieba").addFilter(lambda record: False)

_LAZY = {
    "extract": ("policyminer.api", "extract"),
    "extract_many": ("policyminer.api", "extract_many"),
    "extract_path": ("policyminer.api", "extract_path"),
    "parse_quantity": ("policyminer.rules.quantity", "parse_quantity"),
    "resolve_time": ("policyminer.rules.timeexpr", "resolve_time"),
    "to_frames": ("policyminer.export.tables", "to_frames"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'policyminer' has no attribute {name!r}")
