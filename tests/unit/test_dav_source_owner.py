"""A collection another account owns, listed in the migrated account's home, is not its own."""

from defusedxml import ElementTree

from davshare.migrate.dav_source import DavSource


def _owner(href: str):  # type: ignore[no-untyped-def]
    return ElementTree.fromstring(f'<D:owner xmlns:D="DAV:"><D:href>{href}</D:href></D:owner>')


def test_owner_is_compared_with_the_principal_by_path():
    source = DavSource("https://old.example.org/dav/", "anne", "pw")
    source.principal_url = "https://old.example.org/dav/principals/anne/"
    url = "https://old.example.org/dav/calendars/anne/office/"
    assert source._owns(url, _owner("/dav/principals/anne/"))
    assert source._owns(url, _owner("https://old.example.org/dav/principals/anne"))
    assert not source._owns(url, _owner("/dav/principals/bruno/"))
    assert source._owns(url, _owner(""))  # unsaid: the account's own
