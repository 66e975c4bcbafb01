"""What every review (daily, weekly, monthly) shares: the comparisons of its period (compare)."""
