"""`python -m diffcore` runs the command line."""

import signal
import sys

from diffcore.cli import main

status = main()
# The run is over (its output whole, or cleaned up): its status stands, and a Ctrl-C now is ignored. Under
# `python -m`, CPython (3.11 to 3.13 at least) ends the process by SIGINT after shutdown, whatever the status, once
# a KeyboardInterrupt has left code run by exec() (as a dataclass defined by a lazy import is), even one handled
# since: the caller saw a kill, not 130. Every exec() of a string clears that mark as it starts, so this one leaves
# it clear and the process exits with `status`, after a full shutdown (os._exit would skip the atexit handlers).
# Blocking SIGINT in this thread was not enough: a native thread (numpy's, pyarrow's) took CPython's last SIGINT.
signal.signal(signal.SIGINT, signal.SIG_IGN)
exec("pass")
sys.exit(status)
