"""One module per subcommand, each with ``add(subparsers)`` and ``run(args) -> int``."""

NAMES = ("report", "check", "recommend", "apply", "comment")
