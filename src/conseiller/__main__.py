"""`python -m conseiller` runs the command line."""

from conseiller.cli import main

raise SystemExit(main())
