"""What notebooks show, computing nothing new: formatted blocks and tables, charts, the stage notebooks' helpers,
widgets."""
