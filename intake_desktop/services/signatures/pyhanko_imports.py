"""Import pyHanko's validation code without its signing code.

``import pyhanko.sign.validation`` first runs ``pyhanko/sign/__init__.py``, which imports
the signers, their HTTP timestamp client and with it aiohttp: a third of the engine's
import time, for code that validation never runs (online checks import their fetchers,
and aiohttp, themselves). :func:`defer_signing_package` makes the import of
``pyhanko.sign`` leave its ``__init__`` for later: it runs, unchanged, the first time a
name it defines is asked for (``from pyhanko.sign import PdfSigner``). Submodules
(``pyhanko.sign.signers``, ``.validation`` …) import as they always do.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

_PACKAGE = "pyhanko.sign"
_lock = threading.RLock()


class _DeferredInit(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)  # resource readers and the like: the real one's

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        loader, ran = self._loader, False

        def run_init(name: str) -> Any:
            nonlocal ran
            # Dunder lookups (importlib's, pickle's, copy's) must not run the init.
            if name.startswith("__"):
                raise AttributeError(name)
            # A submodule (``from pyhanko.sign import attributes``, as pyHanko's own
            # modules do) is imported by itself: running the init in the middle of
            # another submodule's import would be a circular import.
            submodule = f"{_PACKAGE}.{name}"
            if submodule in sys.modules or importlib.util.find_spec(submodule) is not None:
                return importlib.import_module(submodule)
            with _lock:
                if not ran:
                    ran = True
                    delattr(module, "__getattr__")
                    loader.exec_module(module)
            try:
                return module.__dict__[name]
            except KeyError:
                raise AttributeError(f"module {_PACKAGE!r} has no attribute {name!r}") from None

        setattr(module, "__getattr__", run_init)  # noqa: B010 - a module-level __getattr__


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _PACKAGE:
            return None
        with _lock:
            if self in sys.meta_path:
                sys.meta_path.remove(self)  # once is enough
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None and spec.submodule_search_locations:
            spec.loader = _DeferredInit(spec.loader)
        return spec


def defer_signing_package() -> None:
    """Have the next import of ``pyhanko.sign`` defer its ``__init__``; a no-op when it
    is imported already."""
    with _lock:
        if _PACKAGE in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
            return
        sys.meta_path.insert(0, _Finder())
