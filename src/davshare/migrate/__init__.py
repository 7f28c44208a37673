"""Moving in from another DAV server: Radicale's folder or any CalDAV/CardDAV server over HTTP.

The modules, lowest first: ``source`` (what a source holds: accounts, collections,
items, whatever it is read from); the readers ``radicale_folder`` (with ``htpasswd``,
``rights_file`` and ``sharing_db``, Radicale 3.7+'s own sharing) and ``dav_source``;
``logins`` (source logins to davshare logins, never guessed); ``report`` (what was
done and what needs a person); ``copy`` (accounts, collections, items and shares
written through the storage, as the owner's client would) and ``verify`` (source and
destination compared item by item). Old logins and URLs keep answering through
``davshare.server.aliases``.
"""
