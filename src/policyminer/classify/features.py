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
    # str.split() splits at exactly the characters regex ``\s`` matches (str.isspace, which
    # includes \u3000 and \xa0), in one C loop instead of a regex scan per character
    return _ENUM.sub("", "".join(str(s).split()), count=1)


def _body(h: str, body: str) -> str:
    if h and body.startswith(h):
        body = body[len(h):]
    return body.lstrip("。；;，,：:")


def measure_text(heading: str | None, text: str | None = None) -> str:
    """The single model input for a measure: heading, newline, start of the body after the heading.

    Only a prefix of a long body is cleaned (measures run to thousands of characters and the
    model keeps 80): cleaning is prefix-stable, so when the cleaned prefix still holds more than
    ``BODY_CHARS`` after the heading the result is the same as cleaning everything."""
    h = clean(heading)
    t = str(text) if text else ""
    cut = 2 * (len(h) + BODY_CHARS) + 64
    if len(t) > cut:
        body = _body(h, clean(t[:cut]))
        if len(body) > BODY_CHARS:
            return h + _SEP + body[:BODY_CHARS]
    return h + _SEP + _body(h, clean(t))[:BODY_CHARS]


def select_heading(docs: Iterable[str]) -> list[str]:
    """The heading part of each model input (FunctionTransformer step)."""
    return [d.split(_SEP, 1)[0] for d in docs]


def select_body(docs: Iterable[str]) -> list[str]:
    """The body part of each model input (FunctionTransformer step)."""
    return [d.split(_SEP, 1)[1] if _SEP in d else "" for d in docs]


def _tokenizer() -> Any:
    """A private segmenter instance: the process-wide one gets user dictionaries from other
    components, which would make the model's tokens depend on what ran before it.

    rjieba's ``Jieba()`` (jieba's dictionary, Rust; loads in ~0.1 s instead of ~0.6 s) cuts
    exactly like Python jieba's precise mode without HMM (tested on the training headings and
    on random mixed-script text); ``POLICYMINER_SEGMENTER=jieba`` or a missing rjieba selects
    Python jieba itself."""
    global _TOKENIZER
    if _TOKENIZER is None:
        from ..rules.segment import default_segmenter

        if default_segmenter() == "rjieba":
            import rjieba

            jb = rjieba.Jieba()
            _TOKENIZER = lambda s: jb.cut(s, False)  # noqa: E731 - a bound cut with HMM off
        else:
            import jieba

            jieba.setLogLevel(60)
            tok = jieba.Tokenizer()
            tok.initialize()
            _TOKENIZER = lambda s: tok.lcut(s, HMM=False)  # noqa: E731
    return _TOKENIZER


def jieba_words(s: str) -> list[str]:
    """jieba words of ``s`` (precise mode, no HMM: deterministic and faster), punctuation dropped."""
    return list(_words(s))


@lru_cache(maxsize=8192)
def _words(s: str) -> tuple[str, ...]:
    # cached: training re-tokenizes the same headings in every fold and candidate
    return tuple(w for w in _tokenizer()(s) if _KEEP.search(w))
