"""Operations: what an administrator watches and restarts (background tasks, workers)."""
