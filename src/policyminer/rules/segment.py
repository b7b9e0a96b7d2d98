"""jieba set-up: our government-term user dictionary, loaded once per process."""

from __future__ import annotations

from importlib import resources

_LOADED = False


def load_user_dict() -> None:
    """Add ``data/jieba_userdict.txt`` (word [freq] [tag] per line) to jieba's dictionary."""
    global _LOADED
    if _LOADED:
        return
    import jieba

    jieba.setLogLevel(60)
    path = resources.files("policyminer") / "data" / "jieba_userdict.txt"
    if path.is_file():
        with resources.as_file(path) as p:
            jieba.load_userdict(str(p))
    _LOADED = True
