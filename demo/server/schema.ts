/**
 * The demo's schema, created on start. Idempotent, so it also upgrades a database created by an
 * earlier version of the demo (the shared PostgreSQL test database, a persisted PGlite).
 */
export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS sessions (
    token_hash text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS rooms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    created_at timestamptz NOT NULL DEFAULT now()
  );
  ALTER TABLE rooms ADD COLUMN IF NOT EXISTS host_id uuid REFERENCES users (id) ON DELETE SET NULL;
  ALTER TABLE rooms ADD COLUMN IF NOT EXISTS max_participants integer NOT NULL DEFAULT 4 CHECK (max_participants BETWEEN 2 AND 8);
  ALTER TABLE rooms ADD COLUMN IF NOT EXISTS recording_mode text NOT NULL DEFAULT 'video' CHECK (recording_mode IN ('audio', 'video'));
  CREATE TABLE IF NOT EXISTS room_members (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('host', 'guest')),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
  );
  CREATE TABLE IF NOT EXISTS invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_by uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    used_by uuid REFERENCES users (id) ON DELETE SET NULL
  );
  CREATE TABLE IF NOT EXISTS participants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    joined_at timestamptz NOT NULL DEFAULT now()
  );
  ALTER TABLE participants ADD COLUMN IF NOT EXISTS user_id uuid REFERENCES users (id) ON DELETE CASCADE;
  CREATE TABLE IF NOT EXISTS recordings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    started_by uuid NOT NULL REFERENCES users (id),
    started_at timestamptz NOT NULL DEFAULT now()
  );
  ALTER TABLE recordings ADD COLUMN IF NOT EXISTS stopped_at timestamptz;
  CREATE TABLE IF NOT EXISTS recording_tracks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recording_id uuid NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id),
    mime_type text NOT NULL,
    status text NOT NULL DEFAULT 'recording' CHECK (status IN ('recording', 'assembling', 'ready', 'failed')),
    chunk_count integer,
    bytes bigint,
    duration_ms integer,
    sha256 text,
    failure text,
    UNIQUE (recording_id, user_id)
  );
  CREATE TABLE IF NOT EXISTS recording_chunks (
    track_id uuid NOT NULL REFERENCES recording_tracks (id) ON DELETE CASCADE,
    seq integer NOT NULL CHECK (seq >= 0),
    bytes integer NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (track_id, seq)
  );
  -- The room bus (room-bus.ts): signals between instances, NOTIFYed by id, kept a minute.
  CREATE UNLOGGED TABLE IF NOT EXISTS room_bus (
    id bigserial PRIMARY KEY,
    payload text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
`;
