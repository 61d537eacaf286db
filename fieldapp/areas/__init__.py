"""Focus areas and neighbourhoods, and who coordinates research in them."""
