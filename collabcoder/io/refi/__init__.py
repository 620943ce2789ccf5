"""REFI-QDA exchange: codebooks (.qdc) now, projects (.qdpx) later, and the default codebook."""
