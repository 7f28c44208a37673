"""The ``davshare`` command line of the server admin: one module per group of commands.

``main`` builds the parser and runs a command; each other module registers its own
subcommands (``groups``, ``plans`` and mail, ``transfer`` for import and export).
"""
