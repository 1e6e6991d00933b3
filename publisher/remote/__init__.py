"""A remote SPARQL 1.1 store behind the same store interface as the embedded one.

Only standards are spoken: the SPARQL 1.1 Protocol for queries and updates (SPARQLWrapper is
the client) and the Graph Store HTTP Protocol for loading, where the store has it.
"""
