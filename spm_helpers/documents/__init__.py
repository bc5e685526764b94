"""Documents a region hands over: the regional SPM report, the draft Rencana Aksi, and their export to offline HTML and
PDF."""
