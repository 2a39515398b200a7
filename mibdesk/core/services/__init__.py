"""Use cases: the only door to the data. Each returns plain frozen data and a `Changes` value."""
