"""Answer keys and hint rules, one file per module. Keys are functions of the case data (they call
the engine) or salted hashes; no answer is written here in plain form."""
