"""The DAV application: Radicale's with per-item decisions, and what only it uses.

``app`` decides PUT, DELETE, MOVE and REPORT per item; ``errors`` turns the data
layer's exceptions into DAV answers; ``fast_listing`` writes listings straight from
SQL; ``privileges_report``, ``quota_report``, ``scheduling`` answer their RFCs.
"""
