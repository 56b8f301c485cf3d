"""`python -m diffcore` runs the command line."""

import signal
import sys

from diffcore.cli import main

status = main()
# The run is over (its output whole, or cleaned up). Under `python -m`, CPython (3.11 to 3.13 at least) ends the
# process by SIGINT after shutdown, whatever main() returned, once a KeyboardInterrupt has left code run by exec()
# (as a dataclass defined by a lazy import is), even one handled since: the caller saw a kill, not 130. With SIGINT
# held back in this thread, that last SIGINT stays pending and CPython exits 130 instead (a Ctrl-C was handled, so
# main() returned 130 too). A native thread (pandas', pyarrow's) may still take it.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
sys.exit(status)
