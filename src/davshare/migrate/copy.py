"""Writing what a source holds into davshare: accounts, collections, items, shares.

Items go through the storage as their owner's client would PUT them (the
transfer writer's ``check_item`` and ``store``): validated, written one
transaction each with the same href and exactly the source's text, so the
search index, quotas, the change log and sync tokens are right. Running it
again writes only what is missing or differs; a dry run reads everything and
writes nothing.
"""

from collections.abc import Callable

from radicale import item as radicale_item

from davshare.core import context
from davshare.migrate.report import Report
from davshare.migrate.rights_file import Grant
from davshare.migrate.source import SourceCollection, SourceItem
from davshare.model import accounts, migrate_etags, sharing
from davshare.model.errors import DavshareError, NotFound, PreconditionFailed, UidConflict
from davshare.storage.backend import Storage
from davshare.storage.collection import Collection
from davshare.transfer.target import Target, open_collection
from davshare.transfer.writer import check_item, store

NO_PASSWORD = "!"  # no password opens it: ``davshare user passwd`` sets one


class Copier:
    """Copies into the storage ``storage``, recording everything in ``report``."""

    def __init__(
        self, storage: Storage, report: Report, progress: Callable[[str], None] | None = None
    ) -> None:
        self.progress = progress
        self.storage = storage
        self.engine = storage.engine
        self.report = report
        self.dry_run = report.dry_run

    def account(self, login: str, password_hash: str | None, display_name: str = "") -> None:
        """Make the account ``login`` unless it exists (then its password is left alone)."""
        try:
            accounts.get_user(self.engine, login)
        except NotFound:
            pass
        else:
            self.report.count("account", "unchanged")
            return
        if not self.dry_run:
            accounts.add_user_with_hash(
                self.engine, login, password_hash or NO_PASSWORD, display_name=display_name
            )
        self.report.count("account", "created")
        kept = "with its old password" if password_hash else "with no password yet"
        self.report.did(f"account {login} created {kept}")
        if not password_hash:
            self.report.problem(f"{login}: no password known: davshare user passwd {login}")

    def collection(self, login: str, source: SourceCollection) -> None:
        """Copy ``source`` into ``login``'s home under the same name, with all its items."""
        target = self._open(login, source)
        if target is None:
            return
        stored = {str(item.href): item for item in target.collection.get_all()}
        for item in source.items():
            self.item(target, item, stored.get(item.href))

    def collection_by_etag(
        self, login: str, source: SourceCollection, fetch: Callable[[str], SourceItem]
    ) -> None:
        """Copy ``source`` (its ``etags`` listed), fetching only the items missing here or
        changed at the source since the last run (``migrate_etags``)."""
        target = self._open(login, source)
        if target is None:
            return
        collection = target.collection
        stored = {str(item.href): item for item in collection.get_all()}
        seen = migrate_etags.seen(self.engine, collection.uuid)
        for href, etag in sorted(source.etags.items()):
            if etag and seen.get(href) == etag and href in stored:
                self.report.count("item", "unchanged")
                continue
            outcome = self.item(target, fetch(href), stored.get(href))
            if outcome != "skipped" and etag and not self.dry_run:
                migrate_etags.remember(self.engine, collection.uuid, href, etag)

    def _open(self, login: str, source: SourceCollection) -> Target | None:
        """The destination of ``source``, made or updated (None: not copied, or a dry run
        with nothing there yet: its items are then counted here)."""
        where = f"{source.label()} -> {login}/{source.name}"
        if sharing.SHARE_SEPARATOR in source.name or "@" in source.name:
            self.report.problem(f"{where}: davshare names cannot hold '@' or '~': not copied")
            self.report.count("collection", "skipped")
            return None
        existing = self._existing(login, source) if self._exists(login) else None
        if existing is not None and existing.tag != source.tag:
            self.report.problem(f"{where}: already there as another kind of collection, skipped")
            self.report.count("collection", "skipped")
            return None
        self._props(login, source, existing, where)
        if existing is None and self.dry_run:
            items = list(source.items())
            self.report.count("item", "created", len(items))
            self.report.did(f"{len(items)} item(s) copied into {login}/{source.name}")
            return None
        return open_collection(self.storage, login, source.name, adding=True)

    def _exists(self, login: str) -> bool:
        try:
            accounts.get_user(self.engine, login)
        except NotFound:
            return False
        return True

    def _existing(self, login: str, source: SourceCollection) -> Collection | None:
        return self.storage.collection(f"{login}/{source.name}")

    def _props(
        self, login: str, source: SourceCollection, existing: Collection | None, where: str
    ) -> None:
        if existing is None:
            if not self.dry_run:
                self.storage.create_collection(f"/{login}/{source.name}/", props=dict(source.props))
            self.report.count("collection", "created")
            self.report.did(f"collection {where} created")
        elif dict(existing.get_meta()) != source.props:
            if not self.dry_run:
                self.storage.set_collection_props(existing, dict(source.props))
            self.report.count("collection", "updated")
            self.report.did(f"collection {where}: properties set")
        else:
            self.report.count("collection", "unchanged")

    def item(self, target: Target, item: SourceItem, stored: radicale_item.Item | None) -> str:
        """Copy one item to the same href; returns its outcome (created, updated...)."""
        outcome, reason = self._item(target, item, stored)
        self.report.count("item", outcome)
        if self.progress is not None:
            self.progress(f"{target.collection.path}/{item.href}: {outcome}")
        if reason:
            self.report.problem(f"{target.collection.path}/{item.href}: {reason}")
        return outcome

    def _item(
        self, target: Target, item: SourceItem, stored: radicale_item.Item | None
    ) -> tuple[str, str]:
        try:
            text = item.data.decode("utf-8")
        except UnicodeDecodeError:
            return "skipped", "not UTF-8 text, as DAV items must be"
        old_text = stored.serialize() if isinstance(stored, radicale_item.Item) else None
        old_etag = stored.etag if isinstance(stored, radicale_item.Item) else ""
        if old_text == text:
            return "unchanged", ""
        outcome = "created" if stored is None else "updated"
        parsed, reason = check_item(target, text)
        if parsed is None:
            return "skipped", reason
        if self.dry_run:
            return outcome, ""
        try:
            store(
                target, item.href, parsed, text, old_etag if stored is not None else context.ABSENT
            )
        except UidConflict as e:
            return "skipped", f"{e} (the same UID is at another href here)"
        except PreconditionFailed:
            return "skipped", "changed here during the migration: run it again"
        except DavshareError as e:  # a quota, a plan limit
            return "skipped", str(e)
        return outcome, ""

    def share(self, grant: Grant) -> None:
        """Share as the rights file said, unless it is shared so already."""
        where = f"{grant.owner}/{grant.name} with {grant.sharee} ({grant.rights})"
        if not self.dry_run:
            present = sharing.list_shares(self.engine, grant.owner, grant.name)
            if any(s.sharee == grant.sharee and s.rights == grant.rights for s in present):
                self.report.count("share", "unchanged")
                return
            try:
                sharing.share_with(self.engine, grant.owner, grant.name, grant.sharee, grant.rights)
            except DavshareError as e:
                self.report.count("share", "skipped")
                self.report.problem(f"share of {where}: {e}")
                return
        self.report.count("share", "created")
        self.report.did(f"shared {where}")
