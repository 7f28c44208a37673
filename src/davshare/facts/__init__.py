"""The facts the rules need, read once per request: roles, grants, creators, busy times.

``access`` reads what ``core.policy`` decides on; ``freebusy`` decides whose busy times a
person may see and computes them. Used by the DAV application, the API and transfers.
"""
