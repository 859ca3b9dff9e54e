"""`python -m gpu_brief` runs the CLI."""

from gpu_brief.console import main

main()
