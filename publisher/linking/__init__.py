"""Linking entities to Wikidata: search candidates for review, merge the accepted ones."""
