"""The web layer: REST API (FastAPI) and server-rendered UI over the library. Needs the web extra.

``create_app`` and ``app_from_env`` are imported on first use, so ``redline.web.cli`` (the
``serve`` command every ``redline`` start registers) does not load FastAPI.
"""

from typing import Any

__all__ = ["create_app", "app_from_env"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from redline.web import app

        return getattr(app, name)
    raise AttributeError(name)
