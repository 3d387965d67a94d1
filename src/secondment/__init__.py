"""secondment: the library of the course on Hebei Daily's report on 100 seconded officials."""

__version__ = "1.0.0"
