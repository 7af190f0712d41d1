"""Routing rulesets (YAML) and their engine — arrive with the routing stage."""
