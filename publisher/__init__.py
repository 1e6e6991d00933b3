"""lodpub: publish facts from CSV files as validated, versioned Linked Open Data."""

__version__ = "0.1.0"
