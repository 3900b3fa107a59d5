-- An Open WebUI database in the newer layout, table by table as its alembic migrations leave
-- them: 7e5b5dc7342b_init (user, auth, model), ca81bd47c050_add_config_table (config),
-- 922e7a387820_add_group_table (group; model.access_control and is_active),
-- 3af16a1c9fb6_update_user_table (username, bio, gender, date_of_birth),
-- 37f288994c47_add_group_member_table (group_member; group.user_ids dropped),
-- b10670c03dd5_update_user_table (api_key table, user.oauth; user.api_key and oauth_sub dropped),
-- and the billing fork's b2f8a9c1d5e3_add_billing_tables. billing_audit_log is not in the
-- fork's migrations we could read: its columns here are our own (id, user_id, action, ...).
-- {{...}} placeholders are filled by the test (bcrypt hashes it generates).

CREATE TABLE "auth" (id VARCHAR NOT NULL PRIMARY KEY, email VARCHAR, password TEXT, active BOOLEAN);
CREATE TABLE "user" (
  id VARCHAR NOT NULL PRIMARY KEY, name VARCHAR, email VARCHAR, role VARCHAR, profile_image_url TEXT,
  last_active_at BIGINT, updated_at BIGINT, created_at BIGINT, settings JSON, info JSON,
  username VARCHAR(50), bio TEXT, gender TEXT, date_of_birth DATE,
  profile_banner_image_url TEXT, timezone VARCHAR, presence_state VARCHAR, status_emoji VARCHAR,
  status_message TEXT, status_expires_at BIGINT, oauth JSON
);
CREATE TABLE "api_key" (
  id TEXT NOT NULL PRIMARY KEY, user_id TEXT REFERENCES "user"(id) ON DELETE CASCADE, key TEXT NOT NULL UNIQUE,
  data JSON, expires_at BIGINT, last_used_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE TABLE "group" (
  id TEXT NOT NULL PRIMARY KEY, user_id TEXT, created_by TEXT, name TEXT, description TEXT, data JSON, meta JSON,
  permissions JSON, created_at BIGINT, updated_at BIGINT
);
CREATE TABLE "group_member" (
  id TEXT NOT NULL PRIMARY KEY, group_id TEXT NOT NULL REFERENCES "group"(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES "user"(id) ON DELETE CASCADE, created_at BIGINT, updated_at BIGINT,
  CONSTRAINT uq_group_member_group_user UNIQUE (group_id, user_id)
);
CREATE TABLE "config" (
  id INTEGER NOT NULL PRIMARY KEY, data JSON NOT NULL, version INTEGER NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE "model" (
  id TEXT NOT NULL PRIMARY KEY, user_id TEXT, created_by TEXT, base_model_id TEXT, name TEXT, params JSON, meta JSON,
  updated_at BIGINT, created_at BIGINT, access_control JSON, is_active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE TABLE "billing_plan" (
  id VARCHAR NOT NULL PRIMARY KEY, name VARCHAR NOT NULL, name_ru VARCHAR, description TEXT, description_ru TEXT,
  price NUMERIC(10, 2) NOT NULL, currency VARCHAR NOT NULL DEFAULT 'RUB', interval VARCHAR NOT NULL, quotas JSON,
  features JSON, is_active BOOLEAN NOT NULL DEFAULT TRUE, display_order INTEGER NOT NULL DEFAULT 0, metadata JSON,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE TABLE "billing_subscription" (
  id VARCHAR NOT NULL PRIMARY KEY, user_id VARCHAR NOT NULL, plan_id VARCHAR NOT NULL, status VARCHAR NOT NULL,
  yookassa_payment_id VARCHAR, yookassa_subscription_id VARCHAR, current_period_start BIGINT NOT NULL,
  current_period_end BIGINT NOT NULL, cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE, trial_end BIGINT,
  metadata JSON, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX idx_subscription_user_status ON "billing_subscription" (user_id, status);
CREATE TABLE "billing_usage" (
  id VARCHAR NOT NULL PRIMARY KEY, user_id VARCHAR NOT NULL, subscription_id VARCHAR, metric VARCHAR NOT NULL,
  amount BIGINT NOT NULL, period_start BIGINT NOT NULL, period_end BIGINT NOT NULL, model_id VARCHAR, chat_id VARCHAR,
  metadata JSON, created_at BIGINT NOT NULL
);
CREATE TABLE "billing_transaction" (
  id VARCHAR NOT NULL PRIMARY KEY, user_id VARCHAR NOT NULL, subscription_id VARCHAR, amount NUMERIC(10, 2) NOT NULL,
  currency VARCHAR NOT NULL DEFAULT 'RUB', status VARCHAR NOT NULL, yookassa_payment_id VARCHAR UNIQUE,
  yookassa_status VARCHAR, description TEXT, description_ru TEXT, receipt_url TEXT, metadata JSON,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE TABLE "billing_audit_log" (
  id VARCHAR NOT NULL PRIMARY KEY, user_id VARCHAR, action VARCHAR NOT NULL, entity_type VARCHAR NOT NULL,
  entity_id VARCHAR, description TEXT, changes JSON, created_at BIGINT NOT NULL
);

INSERT INTO "user" (id, name, email, role, profile_image_url, last_active_at, updated_at, created_at, settings, info, oauth) VALUES
  ('u-admin', 'Ada Admin', 'admin@example.com', 'admin', '/user.png', 1733100000, 1733000000, 1733000000, '{"ui": {"theme": "dark"}}', NULL, NULL),
  ('u-alice', 'Alice', 'Alice@Example.com', 'user', '/user.png', 1733200000, 1733010000, 1733010000, NULL, '{"team": "core"}', '{"google": {"sub": "g-123"}}'),
  ('u-bob', 'Bob', 'bob@example.com', 'user', '/user.png', 1733300000, 1733020000, 1733020000, NULL, NULL, NULL),
  ('u-pat', 'Pat Pending', 'pat@example.com', 'pending', '/user.png', 1733030000, 1733030000, 1733030000, NULL, NULL, NULL);
INSERT INTO "auth" (id, email, password, active) VALUES
  ('u-admin', 'admin@example.com', '{{HASH_ADMIN}}', TRUE),
  ('u-alice', 'Alice@Example.com', '{{HASH_ALICE}}', TRUE),
  ('u-bob', 'bob@example.com', '{{HASH_BOB}}', TRUE),
  ('u-pat', 'pat@example.com', '{{HASH_PAT}}', FALSE);
INSERT INTO "api_key" (id, user_id, key, data, expires_at, last_used_at, created_at, updated_at) VALUES
  ('key_u-alice', 'u-alice', 'sk-0123456789abcdef0123456789abcdef', NULL, NULL, NULL, 1733010000, 1733010000);
INSERT INTO "group" (id, user_id, name, description, data, meta, permissions, created_at, updated_at) VALUES
  ('g-eng', 'u-admin', 'Engineers', 'Builds things', NULL, NULL,
   '{"workspace": {"models": true, "knowledge": false}, "features": {"api_keys": true}, "not_in_steward": {"x": true}}', 1733040000, 1733040000);
INSERT INTO "group_member" (id, group_id, user_id, created_at, updated_at) VALUES
  ('gm-1', 'g-eng', 'u-alice', 1733040000, 1733040000);
INSERT INTO "config" (id, data, version) VALUES
  (1, '{"version": 0, "ui": {"default_user_role": "pending"}}', 0),
  (2, '{"version": 0, "ui": {"enable_signup": false, "default_user_role": "user", "default_models": "m-public", "prompt_suggestions": [{"title": ["Help me study"], "content": "Help me study."}]}, "auth": {"jwt_expiry": "4w", "api_key": {"enable": true}}, "user": {"permissions": {"workspace": {"models": false}, "chat": {"delete": false}}}, "oauth": {"enable_signup": true, "oidc": {"client_id": "steward-test", "client_secret": "shh", "provider_url": "https://sso.example.com", "provider_name": "Company SSO"}, "google": {"client_id": "gid", "client_secret": "gs"}}, "rag": {"top_k": 3}}', 0);
INSERT INTO "model" (id, user_id, base_model_id, name, params, meta, updated_at, created_at, access_control, is_active) VALUES
  ('m-public', 'u-admin', 'gpt-4o', 'Everyone''s model', '{}', '{"description": "for all"}', 1733050000, 1733050000, NULL, TRUE),
  ('m-secret', 'u-admin', 'gpt-4o', 'Engineers only', '{}', '{}', 1733050000, 1733050000,
   '{"read": {"group_ids": ["g-eng"], "user_ids": []}, "write": {"group_ids": [], "user_ids": []}}', TRUE);
INSERT INTO "billing_plan" (id, name, name_ru, description, description_ru, price, currency, interval, quotas, features, is_active, display_order, metadata, created_at, updated_at) VALUES
  ('p-free', 'Free', 'Бесплатный', 'Try it', NULL, 0, 'RUB', 'month', '{"tokens_input": 1000, "requests": 50}', '["chat"]', TRUE, 0, NULL, 1733000000, 1733000000),
  ('p-pro', 'Pro', 'Про', 'For work', 'Для работы', 990.50, 'RUB', 'month', '{"tokens_input": 1000000, "tokens_output": 500000, "galaxies": 3}', '["chat", "api_access"]', TRUE, 1, '{"badge": "popular"}', 1733000000, 1733000000);
INSERT INTO "billing_subscription" (id, user_id, plan_id, status, yookassa_payment_id, current_period_start, current_period_end, cancel_at_period_end, trial_end, metadata, created_at, updated_at) VALUES
  ('s-alice', 'u-alice', 'p-pro', 'active', 'yk-1', 1764547200, 4102444800, FALSE, NULL, NULL, 1764547200, 1764547200),
  ('s-bob-old', 'u-bob', 'p-free', 'canceled', NULL, 1733020000, 1735612000, FALSE, NULL, NULL, 1733020000, 1735612000);
INSERT INTO "billing_usage" (id, user_id, subscription_id, metric, amount, period_start, period_end, model_id, chat_id, metadata, created_at) VALUES
  ('use-1', 'u-alice', 's-alice', 'tokens_input', 120, 1764547200, 4102444800, 'm-public', 'chat-1', NULL, 1764550000);
INSERT INTO "billing_transaction" (id, user_id, subscription_id, amount, currency, status, yookassa_payment_id, yookassa_status, description, receipt_url, metadata, created_at, updated_at) VALUES
  ('t-1', 'u-alice', 's-alice', 990.50, 'RUB', 'succeeded', 'yk-1', 'succeeded', 'Pro, December', NULL, NULL, 1764547200, 1764547300);
INSERT INTO "billing_audit_log" (id, user_id, action, entity_type, entity_id, description, changes, created_at) VALUES
  ('a-1', 'u-admin', 'plan_created', 'plan', 'p-pro', 'created Pro', NULL, 1733000000),
  ('a-2', 'u-admin', 'plan_updated', 'plan', 'p-pro', 'repriced Pro', NULL, 1733000100);
