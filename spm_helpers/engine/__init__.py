"""The SPM formulas as pure functions over tidy DataFrames (DECISIONS D2–D4): needs and cost, the fulfilment plan,
achievement (IP-SPM), data-quality flags, peer comparison. No I/O."""
