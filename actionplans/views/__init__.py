"""Action plan pages: plans (plans.py), actions and their progress (actions.py), "My actions" (my_actions.py)."""
