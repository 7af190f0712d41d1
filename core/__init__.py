"""The leaf every layer may import: the settings object, the error base, the clock, the version."""

__version__ = "0.1.0"
