"""``python -m sim.cli``: the ``r2p`` command."""

import sys

from sim.cli import main

sys.exit(main())
