"""Studies: research in one area, its themes, state and members."""
