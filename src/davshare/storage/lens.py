"""What one viewer sees a collection through: a view (Q2), confidential properties (Q3).

``with_view`` adds to a query of collections the view a person is given on each;
``lens_of`` turns such a row (and the share reaching the viewer) into a ``Lens``.
"""

import json
from dataclasses import dataclass
from typing import Any

from davshare.model import confidential, redaction, sharing, views
from davshare.model.confidential import Spec
from davshare.model.tables import collections, view_assignments
from davshare.model.tables import views as views_table


@dataclass(frozen=True)
class Lens:
    """What one viewer sees a collection through: a view (Q2), confidential properties.

    ``share_id``: the share whose confidential properties apply.
    """

    view: views.View | None = None
    confidential: tuple[Spec, ...] = ()
    share_id: int | None = None
    # Private events shown as busy blocks only (``model/redaction.py``).
    private_hidden: bool = False

    @property
    def keys(self) -> frozenset[str]:
        """Its names in the change log's ``hidden_for``."""
        keys = {self.view.lens} if self.view is not None else set()
        if self.confidential:
            keys.add(f"s{self.share_id}")
        if self.private_hidden:
            keys.add(redaction.LENS)
        return frozenset(keys)

    @property
    def token_suffix(self) -> str:
        """What sync tokens carry of it ("" for none)."""
        parts = [self.view.token_part] if self.view is not None else []
        if self.confidential:
            parts.append(f"s{self.share_id}.{confidential.digest(self.confidential)}")
        if self.private_hidden:
            parts.append(redaction.LENS)
        return "".join("-" + p for p in parts)


def with_view(query: Any, home: str) -> Any:
    """``query`` of collections, with the view ``home`` is given on each (Q2), if any."""
    return query.add_columns(
        views_table.c.id.label("view_id"),
        views_table.c.name.label("view_name"),
        views_table.c.filter.label("view_filter"),
        views_table.c.version.label("view_version"),
    ).outerjoin(
        view_assignments.join(views_table, views_table.c.id == view_assignments.c.view_id),
        (view_assignments.c.collection_id == collections.c.id) & (view_assignments.c.login == home),
    )


def lens_of(row: Any, reach: sharing.Reach | None = None) -> Lens:
    """The view a mount's viewer is given (``with_view``) and what a share keeps from them."""
    if row.tag != "VADDRESSBOOK":
        return Lens()
    view = None
    if row.view_id is not None:
        view = views.View(row.view_id, row.view_name, json.loads(row.view_filter), row.view_version)
    if reach is None or not reach.confidential:
        return Lens(view=view)
    return Lens(view=view, confidential=reach.confidential, share_id=reach.share_id)
