"""REST API v1 for submitting and reading one's own submissions."""
