-- Who submitted an evaluation (issue #18): the caller's principal (an OIDC subject's name, or key:<name> for an
-- API key) when identity is on; NULL when the service runs open. Researchers list and cancel their own,
-- operators everyone's.
ALTER TABLE evaluation ADD COLUMN owner VARCHAR(200);
CREATE INDEX evaluation_by_owner ON evaluation (owner, created_at);
