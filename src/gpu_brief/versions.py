"""Versions of what the cache keeps, in one small module: the cache key reads them at every
question, and importing the modules that build units and indexes only for a number cost more
than the lookup it guards.

Bump one when its format or its terms change: cached files made with another version are rebuilt.
"""

ANALYZER_VERSION = 15  # the terms text.Analyzer gives
UNITS_VERSION = 7  # the layout of units.Unit
INDEX_VERSION = 17  # the layout of index.SearchIndex
