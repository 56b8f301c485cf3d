"""`python -m diffcore` runs the command line."""

import signal
import sys

from diffcore.cli import main

status = main()
# The run is over (its output whole, or cleaned up): a Ctrl-C now must not change its exit status. Under
# `python -m`, CPython (3.11 to 3.13 at least) ends the process by SIGINT instead, whatever the status, once a
# KeyboardInterrupt has left code run by exec() (as a dataclass defined by a lazy import is), even one handled
# since. Held back, that last SIGINT stays pending until the process exits with `status`.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
sys.exit(status)
