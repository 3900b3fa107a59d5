-- An Open WebUI database in the older layout: group members in the group.user_ids JSON column
-- (922e7a387820_add_group_table, before 37f288994c47 moved them to group_member), the API key in
-- user.api_key and the provider subject in user.oauth_sub (7e5b5dc7342b_init, before
-- b10670c03dd5 moved them), and no billing tables. {{...}} placeholders are filled by the test.

CREATE TABLE "auth" (id VARCHAR NOT NULL PRIMARY KEY, email VARCHAR, password TEXT, active BOOLEAN);
CREATE TABLE "user" (
  id VARCHAR NOT NULL PRIMARY KEY, name VARCHAR, email VARCHAR, role VARCHAR, profile_image_url TEXT,
  last_active_at BIGINT, updated_at BIGINT, created_at BIGINT, api_key VARCHAR UNIQUE, settings TEXT, info TEXT,
  oauth_sub TEXT UNIQUE
);
CREATE TABLE "group" (
  id TEXT NOT NULL PRIMARY KEY, user_id TEXT, name TEXT, description TEXT, data JSON, meta JSON,
  permissions JSON, user_ids JSON, created_at BIGINT, updated_at BIGINT
);
CREATE TABLE "config" (
  id INTEGER NOT NULL PRIMARY KEY, data JSON NOT NULL, version INTEGER NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE "model" (
  id TEXT NOT NULL PRIMARY KEY, user_id TEXT, base_model_id TEXT, name TEXT, params TEXT, meta TEXT,
  updated_at BIGINT, created_at BIGINT, access_control JSON, is_active BOOLEAN NOT NULL DEFAULT TRUE
);

INSERT INTO "user" (id, name, email, role, profile_image_url, last_active_at, updated_at, created_at, api_key, settings, info, oauth_sub) VALUES
  ('u-admin', 'Ada Admin', 'admin@example.com', 'admin', '/user.png', 1733100000, 1733000000, 1733000000, NULL, NULL, NULL, NULL),
  ('u-alice', 'Alice', 'alice@example.com', 'user', '/user.png', 1733200000, 1733010000, 1733010000, 'sk-0123456789abcdef0123456789abcdef', NULL, NULL, 'google@g-123'),
  ('u-bob', 'Bob', 'bob@example.com', 'user', '/user.png', 1733300000, 1733020000, 1733020000, NULL, NULL, NULL, 'legacy-sub-9');
INSERT INTO "auth" (id, email, password, active) VALUES
  ('u-admin', 'admin@example.com', '{{HASH_ADMIN}}', TRUE),
  ('u-alice', 'alice@example.com', '{{HASH_ALICE}}', TRUE),
  ('u-bob', 'bob@example.com', '{{HASH_BOB}}', TRUE);
INSERT INTO "group" (id, user_id, name, description, data, meta, permissions, user_ids, created_at, updated_at) VALUES
  ('g-eng', 'u-admin', 'Engineers', 'Builds things', NULL, NULL, '{"workspace": {"models": true}}', '["u-alice"]', 1733040000, 1733040000);
INSERT INTO "config" (id, data, version) VALUES
  (1, '{"version": 0, "ui": {"default_user_role": "user"}, "auth": {"api_key": {"enable": true}}, "user": {"permissions": {"workspace": {"models": false}}}}', 0);
INSERT INTO "model" (id, user_id, base_model_id, name, params, meta, updated_at, created_at, access_control, is_active) VALUES
  ('m-public', 'u-admin', 'gpt-4o', 'Everyone''s model', '{}', '{}', 1733050000, 1733050000, NULL, TRUE),
  ('m-secret', 'u-admin', 'gpt-4o', 'Engineers only', '{}', '{}', 1733050000, 1733050000,
   '{"read": {"group_ids": ["g-eng"], "user_ids": []}, "write": {"group_ids": [], "user_ids": []}}', TRUE);
