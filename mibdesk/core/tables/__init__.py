"""Qt-free row models of the monthly figures grids (the month's form, the township breakdown,
an amendment's differences), shown by the generic grid adapter in `mibdesk.ui.widgets`."""
