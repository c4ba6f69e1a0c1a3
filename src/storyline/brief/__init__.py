"""storyline.brief."""
