"""The monthly report screen (月报): enter a scheme's month, see its problems and townships,
and take it through preparation, review, approval and amendment."""
