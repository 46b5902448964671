"""``convprop batch``: many jobs on a Dask cluster. A job file read and checked whole
(``farm.jobfile``), one job in a worker's process (``farm.worker``), the cluster and the
manifest (``farm.batch``).
"""
