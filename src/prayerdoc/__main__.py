"""``python -m prayerdoc`` runs the command-line tool."""

import sys

from prayerdoc.cli import main

sys.exit(main())
