"""The diffcore benchmark suite: pairwise diffs, timelines and parsing against baseline tools.

Run `python -m bench` (all workloads, writes bench/RESULTS.md) or
`python -m bench --smoke` (tiny sizes in seconds, printed). Every input comes
from the seeded synthetic generator (`synthetic`), and every
correctness figure from the truth it records.
"""
