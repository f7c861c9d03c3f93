"""Pure rules of the pathway: no Qt, no SQLAlchemy, nothing else of ours."""
