"""What every layer may import: the rules, the request context, passwords, text lines.

``policy`` holds the rules as pure functions (who may read, add, modify, delete);
``context`` the small per-request context; ``passwords`` hashing and checking;
``vtext`` the content lines of vCard and iCalendar. Nothing here imports the rest of
davshare.
"""
