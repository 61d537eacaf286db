"""Analysis: a codebook per study, coding answers and observation notes, quotes for reports."""
