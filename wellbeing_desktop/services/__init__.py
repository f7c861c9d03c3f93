"""Use cases. Each call is one unit of work: validate, write, audit, return plain dataclasses."""
