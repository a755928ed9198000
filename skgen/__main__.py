"""``python -m skgen``: the same as the ``skgen`` command (and what torchrun runs)."""

import sys

from .cli import main

sys.exit(main())
