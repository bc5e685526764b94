"""``spm batch``: every region's report in parallel warm kernels, resumable and fault-isolated, with the
national/provincial summary."""
