"""The web layer: REST API (FastAPI) and server-rendered UI over the library. Needs the web extra."""

from redline.web.app import app_from_env, create_app

__all__ = ["create_app", "app_from_env"]
