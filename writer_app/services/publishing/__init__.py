"""Publishing content to WordPress: the actions (publish, update, schedule, unpublish), the job's steps, its end, the per-site lock."""
