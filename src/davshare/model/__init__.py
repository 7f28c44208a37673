"""The data layer: tables, engine and the operations on accounts and items.

Nothing here knows about HTTP; callers turn the exceptions of ``errors`` into
responses.
"""
