"""A SHACL Core validator over pyoxigraph terms: shapes read with rdflib, data held in plain
dictionaries, every constraint component of SHACL Core (no SHACL-SPARQL)."""

from publisher.shacl.engine import Report, Result, validate
from publisher.shacl.model import ShapeError, ShapesGraph, UnsupportedShapesError

__all__ = ["Report", "Result", "ShapeError", "ShapesGraph", "UnsupportedShapesError", "validate"]
