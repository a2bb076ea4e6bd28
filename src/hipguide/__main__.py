"""Run hipguide as ``python -m hipguide``."""

from hipguide.cli import main

if __name__ == "__main__":
    main()
