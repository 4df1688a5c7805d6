"""The REST API (/api/v1/): limits on what a request may carry.

Imported at the end of base.py, so every environment gets these. The body
size limit is Django's own DATA_UPLOAD_MAX_MEMORY_SIZE, which DRF's JSON
parsing would otherwise bypass (core.api_parsers).
"""

import environ

env = environ.Env()

# Deepest nesting of lists/objects a JSON request may have. The deepest body
# the API takes (a survey answer's choices) is 4 levels; json.load recursing
# thousands deep was a 500 (RecursionError).
KOE_API_JSON_MAX_DEPTH = env.int("KOE_API_JSON_MAX_DEPTH", default=32)
