"""Tools for tests and benchmarks (servers on free loopback ports); not part of the product."""
