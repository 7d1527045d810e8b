"""``python -m presslens.cli``: the presslens command line."""

from presslens.cli import main

main()
