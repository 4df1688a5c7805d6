"""REST API v1 for reading consultations (see config/api_urls.py)."""
