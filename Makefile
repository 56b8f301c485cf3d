# Tasks for working on diffcore; each is one command you can also type by hand.
.PHONY: install test lint format regenerate bench-smoke bench

install:
	pip install -e '.[test,lint,bench]'

test:
	python -m pytest

lint:
	ruff check .
	ruff format --check .
	mypy --strict diffcore

format:
	ruff format .
	ruff check --fix .

regenerate:
	python examples/regenerate.py

bench-smoke:
	python -m bench --smoke

bench:
	python -m bench
