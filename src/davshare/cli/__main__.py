"""``python -m davshare.cli``: the same as the ``davshare`` command."""

import sys

from davshare.cli.main import main

sys.exit(main())
