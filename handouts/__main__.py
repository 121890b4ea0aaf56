"""``python -m handouts`` runs the command line (a plain build without loading click)."""

from handouts.launch import main

main()
