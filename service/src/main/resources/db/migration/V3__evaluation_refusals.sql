-- Replicas serving different versions of a model side by side (a rolling update, issue #14). A replica that
-- serves another version than an evaluation was planned on refuses its units and hands them back, so that a
-- replica still serving the planned version runs them; the evaluation fails only once every live replica has
-- refused it.

-- Replicas that run evaluation units, as their heartbeats last saw them: live while seen within a lease.
CREATE TABLE evaluation_replica (
    name    VARCHAR(200) PRIMARY KEY,
    seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A replica that cannot run an evaluation (it serves another version of its model, or not that model at all).
CREATE TABLE evaluation_refusal (
    evaluation_id VARCHAR(36)  NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    replica       VARCHAR(200) NOT NULL,
    reason        TEXT         NOT NULL,
    refused_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (evaluation_id, replica)
);
