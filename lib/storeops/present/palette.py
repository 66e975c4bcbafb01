"""The house colours, one place for the charts (theme), the report's inline colours (tables) and its
stylesheet (report.css keeps the same values as its variables)."""

INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#c2410c"  # the report day, a flag, a count to act on
SERIES = "#3b82a0"
GOOD = "#15803d"
BAD = "#b91c1c"
GRID = "#e4e7eb"
