"""Run the command line without installing: ``python build_handouts.py build``."""

from handouts.cli import main

if __name__ == "__main__":
    main()
