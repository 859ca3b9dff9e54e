"""`python -m gpu_brief` runs the CLI."""

from gpu_brief.cli import main

main()
