"""psoas-handouts: printable, per-client psoas self-care handouts for massage therapists.

The public library API lives in :mod:`handouts.build`; the command line in :mod:`handouts.cli`.
"""

__version__ = "0.1.0"

from . import lazyregex as _lazyregex

_lazyregex.install()  # before any reportlab or Jinja2 import: ~50 ms off every cold start
