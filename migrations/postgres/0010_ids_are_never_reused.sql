-- SQLite's 0010 makes allocation and payment ids never reused (AUTOINCREMENT). PostgreSQL's
-- identity sequences never hand an id out twice already: nothing to change.
SELECT 1;
