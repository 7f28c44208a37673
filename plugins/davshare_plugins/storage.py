"""Radicale storage plugin: ``[storage] type = davshare_plugins.storage``, ``database_url = …``."""

from davshare.storage.backend import Storage

__all__ = ["Storage"]
