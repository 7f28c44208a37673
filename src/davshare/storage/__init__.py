"""The SQL storage behind Radicale: collections, items, sync tokens, search in SQL."""
