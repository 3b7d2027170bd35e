CREATE TABLE IF NOT EXISTS "events" ("event_id" VARCHAR(65535), "tenant_id" VARCHAR(65535), "type" VARCHAR(65535), "event" VARCHAR(65535), "name" VARCHAR(65535), "category" VARCHAR(65535), "person_id" VARCHAR(36), "session_id" VARCHAR(36), "user_id" VARCHAR(65535), "anonymous_id" VARCHAR(65535), "group_id" VARCHAR(65535), "previous_id" VARCHAR(65535), "timestamp" TIMESTAMPTZ, "original_timestamp" TIMESTAMPTZ, "received_at" TIMESTAMPTZ, "properties" VARCHAR(65535), "traits" VARCHAR(65535), "context" VARCHAR(65535), "geo_country" VARCHAR(65535), "geo_region" VARCHAR(65535), "geo_city" VARCHAR(65535), "geo_latitude" DOUBLE PRECISION, "geo_longitude" DOUBLE PRECISION, "utm_source" VARCHAR(65535), "utm_medium" VARCHAR(65535), "utm_campaign" VARCHAR(65535), "utm_term" VARCHAR(65535), "utm_content" VARCHAR(65535), "channel" VARCHAR(65535), "session_channel" VARCHAR(65535), "referrer_host" VARCHAR(65535), "page_url" VARCHAR(65535), "page_path" VARCHAR(65535), "ua_browser" VARCHAR(65535), "ua_browser_version" VARCHAR(65535), "ua_os" VARCHAR(65535), "ua_os_version" VARCHAR(65535), "ua_device_type" VARCHAR(65535), "order_id" VARCHAR(65535), "revenue" DECIMAL(20,4), "currency" VARCHAR(65535), "schema_version" INTEGER, "source_partition" VARCHAR(65535), "source_offset" VARCHAR(65535), "day" DATE);

CREATE TABLE IF NOT EXISTS "order_items" ("tenant_id" VARCHAR(65535), "event_id" VARCHAR(65535), "person_id" VARCHAR(36), "timestamp" TIMESTAMPTZ, "day" DATE, "order_id" VARCHAR(65535), "product_id" VARCHAR(65535), "name" VARCHAR(65535), "category" VARCHAR(65535), "price" DECIMAL(20,4), "quantity" INTEGER, "currency" VARCHAR(65535));

CREATE TABLE IF NOT EXISTS "sessions" ("session_id" VARCHAR(36), "tenant_id" VARCHAR(65535), "person_id" VARCHAR(36), "started_at" TIMESTAMPTZ, "ended_at" TIMESTAMPTZ, "duration_seconds" DOUBLE PRECISION, "page_views" INTEGER, "events" INTEGER, "bounce" BOOLEAN, "landing_page" VARCHAR(65535), "entry_channel" VARCHAR(65535), "utm_source" VARCHAR(65535), "utm_medium" VARCHAR(65535), "utm_campaign" VARCHAR(65535), "utm_term" VARCHAR(65535), "utm_content" VARCHAR(65535), "snapshot_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "persons" ("person_id" VARCHAR(36), "tenant_id" VARCHAR(65535), "user_id" VARCHAR(65535), "traits" VARCHAR(65535), "first_seen" TIMESTAMPTZ, "last_seen" TIMESTAMPTZ, "event_count" BIGINT, "session_count" INTEGER, "last_channel" VARCHAR(65535), "order_count" INTEGER, "revenue" VARCHAR(65535), "snapshot_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "product_daily" ("tenant_id" VARCHAR(65535), "day" DATE, "product_id" VARCHAR(65535), "views" BIGINT, "adds" BIGINT, "purchases" BIGINT, "units" BIGINT);

CREATE TABLE IF NOT EXISTS "product_revenue_daily" ("tenant_id" VARCHAR(65535), "day" DATE, "product_id" VARCHAR(65535), "currency" VARCHAR(65535), "revenue" DECIMAL(20,4));

CREATE TABLE IF NOT EXISTS "funnel_days" ("funnel_key" VARCHAR(65535), "tenant_id" VARCHAR(65535), "entered_on" TIMESTAMPTZ, "person_id" VARCHAR(36), "breakdown" VARCHAR(65535), "reached" INTEGER, "t1" TIMESTAMPTZ, "t2" TIMESTAMPTZ, "t3" TIMESTAMPTZ, "t4" TIMESTAMPTZ, "t5" TIMESTAMPTZ, "t6" TIMESTAMPTZ, "t7" TIMESTAMPTZ, "t8" TIMESTAMPTZ, "t9" TIMESTAMPTZ, "t10" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "funnel_builds" ("funnel_key" VARCHAR(65535), "tenant_id" VARCHAR(65535), "refreshed_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "lake_files" ("key" VARCHAR(65535), "loaded_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "partition_loads" ("tenant_id" VARCHAR(65535), "day" DATE, "loaded_at" TIMESTAMPTZ, "events" BIGINT);

CREATE TABLE IF NOT EXISTS "livora_numbers" ("i" INTEGER);
