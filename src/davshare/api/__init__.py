"""The JSON management API under ``/.davshare/api/v1/`` (same credentials as DAV)."""

PREFIX = "/.davshare/api/v1"
