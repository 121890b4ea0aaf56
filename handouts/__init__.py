"""psoas-handouts: printable, per-client psoas self-care handouts for massage therapists.

The public library API lives in :mod:`handouts.build`; the command line in :mod:`handouts.cli`.
"""

__version__ = "0.1.0"
