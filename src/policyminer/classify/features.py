"""Text preparation for the measure classifier.

The model sees one string per measure: the heading, a newline, then the start of the body.
The heading carries most of the signal (taxonomy.md: "label the one its heading leads
with"), so the pipeline weights heading features above body features; the body is cut to
its first ``BODY_CHARS`` characters because the lead sentence is what names the tool and
because tokenizing whole measures would cost pipeline speed.

Functions here are referenced by the pickled-free skops model file, so their qualified
names are part of the model's trusted-type list: rename them only together with a retrain.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

BODY_CHARS = 80
_SEP = "\n"
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_ENUM = re.compile(r"^[\s\u3000]*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十百\d]{1,4}条)[\s\u3000]*")
_TOKENIZER: Any = None


def clean(s: str | None) -> str:
    """Whitespace-free text without a leading enumerator: headings arrive with or without them."""
    if not s:
        return ""
    s = re.sub(r"[\s\u3000\xa0]+", "", str(s))
    return _ENUM.sub("", s, count=1)


def measure_text(heading: str | None, text: str | None = None) -> str:
    """The single model input for a measure: heading, newline, start of the body after the heading."""
    h = clean(heading)
    body = clean(text)
    if h and body.startswith(h):
        body = body[len(h):]
    body = body.lstrip("。；;，,：:")
    return h + _SEP + body[:BODY_CHARS]


def select_heading(docs: Iterable[str]) -> list[str]:
    """The heading part of each model input (FunctionTransformer step)."""
    return [d.split(_SEP, 1)[0] for d in docs]


def select_body(docs: Iterable[str]) -> list[str]:
    """The body part of each model input (FunctionTransformer step)."""
    return [d.split(_SEP, 1)[1] if _SEP in d else "" for d in docs]


def _tokenizer() -> Any:
    """A private jieba instance: the process-wide one gets user dictionaries from other
    components, which would make the model's tokens depend on what ran before it."""
    global _TOKENIZER
    if _TOKENIZER is None:
        import jieba

        jieba.setLogLevel(60)
        tok = jieba.Tokenizer()
        tok.initialize()
        _TOKENIZER = tok
    return _TOKENIZER


def jieba_words(s: str) -> list[str]:
    """jieba words of ``s`` (precise mode, no HMM: deterministic and faster), punctuation dropped."""
    return list(_words(s))


@lru_cache(maxsize=8192)
def _words(s: str) -> tuple[str, ...]:
    # cached: training re-tokenizes the same headings in every fold and candidate
    return tuple(w for w in _tokenizer().lcut(s, HMM=False) if _KEEP.search(w))
