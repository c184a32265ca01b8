"""The bench's machinery: tasks, scoring, agents, episodes, traces and the report."""
