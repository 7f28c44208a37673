"""The web pages: a small single-page app over the JSON API, served as static files (issue 9).

``/.davshare/web/`` serves ``static/``; ``/.davshare/dav/`` lets the signed-in pages
read and write contacts, events and tasks through the DAV application itself, so the
rules applied are exactly those every DAV client meets.
"""

WEB_PREFIX = "/.davshare/web"
DAV_PREFIX = "/.davshare/dav"
