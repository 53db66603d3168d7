"""Official documents (公文): templates, generation, immutable storage, bulk jobs, PDF."""
