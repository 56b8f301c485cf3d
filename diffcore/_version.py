"""The version of diffcore, in a module of its own: any module may name it without importing the package."""

__version__ = "0.2.0"
