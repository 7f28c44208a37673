"""Radicale rights plugin: ``[rights] type = davshare_plugins.rights``.

Radicale asks per collection; the answer comes from ``davshare.policy``.
Per-item rules (creator-owned items) are decided by the application, which
Radicale's rights interface cannot express.
"""

from radicale import config, pathutils, rights

from davshare import policy


def _permissions(privileges: frozenset[policy.Privilege], principal: bool) -> str:
    if policy.Privilege.READ not in privileges:
        return ""
    writes = privileges & {
        policy.Privilege.BIND,
        policy.Privilege.UNBIND,
        policy.Privilege.WRITE_CONTENT,
    }
    if principal:
        return "RW" if writes else "R"
    return "rw" if writes else "r"


class Rights(rights.BaseRights):
    """Owner-only access to personal collections, through ``davshare.policy``."""

    def __init__(self, configuration: config.Configuration) -> None:
        super().__init__(configuration)

    def authorization(self, user: str, user_groups: set[str], path: str) -> str:
        sane_path = pathutils.strip_path(path)
        if not user:
            return ""
        if not sane_path:
            return "R"
        if sane_path.count("/") > 1:
            return ""  # collections live directly under a principal
        owner = sane_path.split("/", 1)[0]
        facts = policy.CollectionFacts(path=sane_path, owner=owner)
        privileges = policy.collection_privileges(policy.Requester(login=user), facts)
        return _permissions(privileges, principal="/" not in sane_path)
