"""The diffcore test suite (a package so test modules can share `tests.support`)."""
