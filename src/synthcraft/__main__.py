"""``python -m synthcraft``: the same as the ``synthcraft`` command."""

from synthcraft.cli import main

if __name__ == "__main__":
    main()
