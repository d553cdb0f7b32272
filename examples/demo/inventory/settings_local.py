# A developer's local override: git-ignored, so stablegate does not key it.
SUPPLIER_URL = "http://localhost:8000/feed.json"
