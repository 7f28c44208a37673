"""Where passwords are checked: davshare's own accounts, or the company's directory, mail
server or htpasswd file (``[auth] backends``, docs/sign-in.md).

This package only answers "is this the password of this person, and who are they"
(``backends.verify``); it imports nothing of davshare but ``core``. Creating the account
of a person a directory knows, and refusing disabled ones, is the data layer's
(``model/sign_in_backends.py``).
"""
