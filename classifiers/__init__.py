"""Classification stages: language now; intent, sentiment and priority follow."""
