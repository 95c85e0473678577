"""`python -m govaudit …` is the `govaudit` command."""

from govaudit.cli import main

if __name__ == "__main__":
    main()
