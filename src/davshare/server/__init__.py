"""The wiring: settings (``config``), the WSGI application (``wsgi``), the HTTP server (``serve``).

The only place where the DAV application, the API, the web pages and the mail sender
meet.
"""
