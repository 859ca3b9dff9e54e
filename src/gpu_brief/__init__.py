"""gpu-brief: grounded, cited answers from a corpus of French news articles."""

__version__ = "0.1.0"
