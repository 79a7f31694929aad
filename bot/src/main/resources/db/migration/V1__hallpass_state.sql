-- Hallpass serve's durable state, shared by every replica.

-- What Hallpass applied and has not revoked yet, per lease key: written before the provider is called and
-- confirmed after, so a crash (or a kill -9 of the leader) leaves a row that the next leader finishes.
CREATE TABLE applied_grants (
    repo          text        NOT NULL,
    provider      text        NOT NULL,
    target        text        NOT NULL,
    person        text        NOT NULL,
    request_id    text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    grant_json    text        NOT NULL,
    confirmed     boolean     NOT NULL,
    pre_existing  boolean     NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repo, provider, target, person)
);

-- The grants git last said exist, per repository: what a new leader enforces before it has read git.
CREATE TABLE grant_schedule (
    repo        text        NOT NULL,
    request_id  text        NOT NULL,
    starts_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    grant_json  text        NOT NULL,
    PRIMARY KEY (repo, request_id)
);

-- The last hallpass.yaml read from the default branch: providers can be built while GitHub is down.
CREATE TABLE repo_config (
    repo          text        PRIMARY KEY,
    head_sha      text        NOT NULL,
    settings_yaml bytea       NOT NULL,
    saved_at      timestamptz NOT NULL DEFAULT now()
);

-- Webhook deliveries seen by any replica, for deduplication; pruned by age.
CREATE TABLE webhook_deliveries (
    delivery_id  text        PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at);
