"""Rendering at every scale: one lecture on every core (``farm.lecture``), many renders on a Dask
cluster (``farm.batch``), and progress on long work (``farm.progress``).
"""
