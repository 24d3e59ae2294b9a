"""The documents the office sends (公文): one layout after GB/T 9704-2012 (layout.py) for every document the portal
writes."""
