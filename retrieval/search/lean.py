"""Keeping libraries nobody calls out of a command's cold start.

With the ONNX embedder nothing `news-ask` runs needs torch, but spaCy's array library,
thinc, imports it whenever it is installed (1.4 s of a cold start on two cores), and the
small English pipeline the reader uses never calls it. Likewise LightGBM imports
scikit-learn (and with it scipy.stats, about a second) for estimator classes the reader
does not use: it only loads fitted boosters. Importing thinc and LightGBM while those are
hidden makes each take its documented "not installed" path; the hidden libraries stay
importable by anything that asks for them later.
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

from retrieval.search.embedder import is_bundled
from retrieval.settings import Settings


class _Hidden(importlib.abc.MetaPathFinder):
    """Answers "not installed" for these top-level packages while it is on sys.meta_path."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def needs_torch(settings: Settings) -> bool:
    """Whether this configuration runs a torch model: the torch embedder, an embedding
    model other than the bundled one, or a cross-encoder reranker."""
    onnx = settings.embedder_backend == "onnx" and is_bundled(settings.embedding_model)
    return not onnx or bool(settings.reranker_model)


def preload_reader_libraries(settings: Settings) -> None:
    """Import thinc (unless the configuration runs torch anyway) and LightGBM, each with
    what it would needlessly import hidden."""
    if not needs_torch(settings):
        import_hiding("thinc.compat", {"torch"})
    import_hiding("lightgbm", {"sklearn"})


def import_hiding(module: str, hidden: set[str]) -> None:
    """Import `module` while the packages `hidden` look uninstalled; nothing is done when
    either is already loaded, or when `module` itself is not installed."""
    if module in sys.modules or any(name in sys.modules for name in hidden):
        return
    finder = _Hidden(hidden)
    sys.meta_path.insert(0, finder)
    try:
        importlib.import_module(module)
    except ImportError:
        return
    finally:
        sys.meta_path.remove(finder)
