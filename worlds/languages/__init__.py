"""Language front ends. Each does its own checks and error mapping; none does sandbox work."""
