-- Robustness evaluations, shared by every replica (PostgreSQL) or kept by one jar (H2 in PostgreSQL mode).
-- Written in the SQL both understand. Times are the database's clock, so replicas' clocks never decide a lease.

-- One evaluation: what was asked (spec, JSON), against which model, and how it ended.
CREATE TABLE evaluation (
    id             VARCHAR(36)  PRIMARY KEY,
    state          VARCHAR(16)  NOT NULL,               -- queued, running, succeeded, failed, cancelled
    model_name     VARCHAR(200) NOT NULL,
    model_version  VARCHAR(200),
    model_sha256   VARCHAR(64),                         -- of the discriminator the attacks ran on
    forger_version VARCHAR(64)  NOT NULL,
    seed           BIGINT       NOT NULL,
    spec           TEXT         NOT NULL,               -- robustness.EvaluationSpec as JSON
    units_total    INTEGER      NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE,
    finished_at    TIMESTAMP WITH TIME ZONE,
    error          TEXT,
    report         TEXT                                 -- the final RobustnessReport as JSON, once succeeded
);
CREATE INDEX evaluation_by_created ON evaluation (created_at);

-- The images under attack, float32 little-endian NCHW in [-1, 1], so that any replica can load them.
CREATE TABLE evaluation_images (
    evaluation_id VARCHAR(36) PRIMARY KEY REFERENCES evaluation (id) ON DELETE CASCADE,
    images        BYTEA       NOT NULL
);

-- A unit: one planned attack run (attack configuration x epsilon) over one slice of the images.
-- A replica claims it with a lease (owner, token, expiry) and renews the lease while it works.
CREATE TABLE evaluation_unit (
    evaluation_id VARCHAR(36)  NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    seq           INTEGER      NOT NULL,
    run_index     INTEGER      NOT NULL,
    first_image   INTEGER      NOT NULL,
    image_count   INTEGER      NOT NULL,
    state         VARCHAR(16)  NOT NULL,                -- queued, running, done, failed, cancelled
    queued_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner   VARCHAR(200),
    lease_token   VARCHAR(36),
    lease_expires TIMESTAMP WITH TIME ZONE,
    attempts      INTEGER      NOT NULL DEFAULT 0,
    finished_by   VARCHAR(200),
    elapsed_ms    BIGINT,
    results       TEXT,                                 -- per-image outcomes as JSON, once done
    PRIMARY KEY (evaluation_id, seq)
);
CREATE INDEX evaluation_unit_by_state ON evaluation_unit (state, queued_at);

-- One row that submissions lock, so that the global cap on queued units holds across replicas.
CREATE TABLE evaluation_queue (
    id INTEGER PRIMARY KEY
);
INSERT INTO evaluation_queue (id) VALUES (1);
