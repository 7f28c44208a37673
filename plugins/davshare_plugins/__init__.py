"""davshare's Radicale plugins, chosen in a Radicale config by module name.

Thin on purpose: each one hands over to ``davshare``.
"""
