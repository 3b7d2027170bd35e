CREATE TABLE IF NOT EXISTS "events" ("event_id" VARCHAR, "tenant_id" VARCHAR, "type" VARCHAR, "event" VARCHAR, "name" VARCHAR, "category" VARCHAR, "person_id" UUID, "session_id" UUID, "user_id" VARCHAR, "anonymous_id" VARCHAR, "group_id" VARCHAR, "previous_id" VARCHAR, "timestamp" TIMESTAMPTZ, "original_timestamp" TIMESTAMPTZ, "received_at" TIMESTAMPTZ, "properties" VARCHAR, "traits" VARCHAR, "context" VARCHAR, "geo_country" VARCHAR, "geo_region" VARCHAR, "geo_city" VARCHAR, "geo_latitude" DOUBLE, "geo_longitude" DOUBLE, "utm_source" VARCHAR, "utm_medium" VARCHAR, "utm_campaign" VARCHAR, "utm_term" VARCHAR, "utm_content" VARCHAR, "channel" VARCHAR, "session_channel" VARCHAR, "referrer_host" VARCHAR, "page_url" VARCHAR, "page_path" VARCHAR, "ua_browser" VARCHAR, "ua_browser_version" VARCHAR, "ua_os" VARCHAR, "ua_os_version" VARCHAR, "ua_device_type" VARCHAR, "order_id" VARCHAR, "revenue" DECIMAL(20,4), "currency" VARCHAR, "schema_version" INTEGER, "source_partition" VARCHAR, "source_offset" VARCHAR, "day" DATE);

CREATE TABLE IF NOT EXISTS "order_items" ("tenant_id" VARCHAR, "event_id" VARCHAR, "person_id" UUID, "timestamp" TIMESTAMPTZ, "day" DATE, "order_id" VARCHAR, "product_id" VARCHAR, "name" VARCHAR, "category" VARCHAR, "price" DECIMAL(20,4), "quantity" INTEGER, "currency" VARCHAR);

CREATE TABLE IF NOT EXISTS "sessions" ("session_id" UUID, "tenant_id" VARCHAR, "person_id" UUID, "started_at" TIMESTAMPTZ, "ended_at" TIMESTAMPTZ, "duration_seconds" DOUBLE, "page_views" INTEGER, "events" INTEGER, "bounce" BOOLEAN, "landing_page" VARCHAR, "entry_channel" VARCHAR, "utm_source" VARCHAR, "utm_medium" VARCHAR, "utm_campaign" VARCHAR, "utm_term" VARCHAR, "utm_content" VARCHAR, "snapshot_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "persons" ("person_id" UUID, "tenant_id" VARCHAR, "user_id" VARCHAR, "traits" VARCHAR, "first_seen" TIMESTAMPTZ, "last_seen" TIMESTAMPTZ, "event_count" BIGINT, "session_count" INTEGER, "last_channel" VARCHAR, "order_count" INTEGER, "revenue" VARCHAR, "snapshot_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "product_daily" ("tenant_id" VARCHAR, "day" DATE, "product_id" VARCHAR, "views" BIGINT, "adds" BIGINT, "purchases" BIGINT, "units" BIGINT);

CREATE TABLE IF NOT EXISTS "product_revenue_daily" ("tenant_id" VARCHAR, "day" DATE, "product_id" VARCHAR, "currency" VARCHAR, "revenue" DECIMAL(20,4));

CREATE TABLE IF NOT EXISTS "funnel_days" ("funnel_key" VARCHAR, "tenant_id" VARCHAR, "entered_on" TIMESTAMPTZ, "person_id" UUID, "breakdown" VARCHAR, "reached" INTEGER, "t1" TIMESTAMPTZ, "t2" TIMESTAMPTZ, "t3" TIMESTAMPTZ, "t4" TIMESTAMPTZ, "t5" TIMESTAMPTZ, "t6" TIMESTAMPTZ, "t7" TIMESTAMPTZ, "t8" TIMESTAMPTZ, "t9" TIMESTAMPTZ, "t10" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "funnel_builds" ("funnel_key" VARCHAR, "tenant_id" VARCHAR, "refreshed_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "lake_files" ("key" VARCHAR, "loaded_at" TIMESTAMPTZ);

CREATE TABLE IF NOT EXISTS "partition_loads" ("tenant_id" VARCHAR, "day" DATE, "loaded_at" TIMESTAMPTZ, "events" BIGINT);

CREATE TABLE IF NOT EXISTS "livora_numbers" ("i" INTEGER);
