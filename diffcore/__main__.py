"""`python -m diffcore` runs the command line."""

import sys

from diffcore.cli import main

sys.exit(main())
