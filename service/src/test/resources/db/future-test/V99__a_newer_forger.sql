-- What a later Forger's migration could look like, for StoreDatabaseTest: this Forger must refuse a schema at 99.
ALTER TABLE evaluation ADD COLUMN added_by_a_newer_forger INTEGER;
