"""The city office's screens: the overview of the counties and the review of their plans."""
