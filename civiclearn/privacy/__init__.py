"""Privacy (Thailand's PDPA B.E. 2562): a person's data to see, download, correct and delete."""
