"""Keeping libraries nobody calls out of a command's cold start.

With the ONNX embedder nothing `news-ask` runs needs torch, but spaCy's array library,
thinc, imports it whenever it is installed (1.4 s of a cold start on two cores), and the
small English pipeline the reader uses never calls it. Likewise LightGBM imports
scikit-learn (and with it scipy.stats, about a second) for estimator classes the reader
does not use: it only loads fitted boosters. Importing thinc and LightGBM while those are
hidden makes each take its documented "not installed" path; the hidden libraries stay
importable by anything that asks for them later.

Two imports cannot be hidden, because the importing library has no "not installed" path
for them, but are never called by a question: spaCy imports its command line (typer,
weasel, requests, jinja2) for its `info` function, and Chroma the OpenTelemetry gRPC
exporter (grpc and protobuf) for the span exporter it builds only when an OpenTelemetry
endpoint is configured. Each is given a stand-in module (`stand_in`) that the library
imports instead; the stand-in leaves `sys.modules` as soon as the library takes the name
it wants from it, so any later import gets the real module, and the name it handed over
imports the real module when it is called.
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

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


class _StandIn(ModuleType):
    """Stands in for a module until the first name is taken from it (see the module's
    docstring); that name is a function importing the real module's name when called."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing: not a package, no spec
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        module = self.__name__

        def deferred(*args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(module), name)(*args, **kwargs)

        deferred.__name__ = deferred.__qualname__ = name
        return deferred


# Module -> the library whose import imports it, though nothing a question runs calls it.
NEVER_CALLED = {
    "spacy.cli.info": "spacy",  # for spacy.info(), which prints the installed pipelines
    "opentelemetry.exporter.otlp.proto.grpc.trace_exporter": "chromadb",  # an OTel endpoint's
}


def stand_in(modules: dict[str, str] = NEVER_CALLED) -> None:
    """Put stand-ins for `modules` in `sys.modules`; not for a module already imported, nor
    when the library that imports it is (the stand-in would wait there for nobody)."""
    for name, importer in modules.items():
        if name not in sys.modules and importer not in sys.modules:
            sys.modules[name] = _StandIn(name)


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
