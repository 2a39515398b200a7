"""The city office's use cases: the overview of its counties, plan review and the city's
application to finance, quota allocation. Qt-free; each returns plain frozen dataclasses."""
