"""Bills: keys, stages, links between versions, provenance, and the read queries and views of bills."""
