"""The file drop: signed packages between townships, counties and the city.

`docs/exchange-format.md` describes the package format; this package builds, publishes,
scans, verifies and imports packages. Nothing here imports Qt.
"""
