"""Completing Xandikos's address book without a whole-collection PUT (it takes none).

Xandikos keeps each collection in a git repository: one PUT is one commit, which rewrites
the tree of every item, so loading 10,000 contacts one PUT each would take most of an hour.
After its timed import by PUT, the rest of the book is written into its store the way its
own PUT writes an item (the file, its blob and its index entry, under the index's lock), in
one commit; Xandikos reads the new index at the next request.
"""

import os
import time
from pathlib import Path

from bench.data import Item
from bench.servers import LOGIN, ServerProcess


def book_directory(server: ServerProcess) -> Path:
    """The git repository of the benchmark's address book in Xandikos's data directory."""
    return server.dir / "data" / LOGIN / "contacts"


def complete_book(server: ServerProcess, contacts: list[Item]) -> float:
    """Write the contacts the book does not hold yet in one commit; returns the seconds."""
    import dulwich.repo
    from dulwich.index import index_entry_from_stat, locked_index
    from dulwich.objects import Blob

    start = time.perf_counter()
    repo = dulwich.repo.Repo(str(book_directory(server)))
    with locked_index(repo.index_path()) as index:
        for item in contacts:
            name = item.href.encode()
            if name in index:
                continue
            path = os.path.join(repo.path, item.href)
            data = item.text.encode()
            with open(path, "wb") as file:
                file.write(data)
            blob = Blob.from_string(data)
            repo.object_store.add_object(blob)
            index[name] = index_entry_from_stat(os.lstat(path), blob.id)
        tree = index.commit(repo.object_store)
        repo.get_worktree().commit(message=b"bench: the rest of the book", tree=tree)
    return time.perf_counter() - start
