IF OBJECT_ID('events') IS NULL CREATE TABLE "events" ("event_id" NVARCHAR(4000), "tenant_id" NVARCHAR(4000), "type" NVARCHAR(4000), "event" NVARCHAR(4000), "name" NVARCHAR(4000), "category" NVARCHAR(4000), "person_id" NVARCHAR(36), "session_id" NVARCHAR(36), "user_id" NVARCHAR(4000), "anonymous_id" NVARCHAR(4000), "group_id" NVARCHAR(4000), "previous_id" NVARCHAR(4000), "timestamp" DATETIME2, "original_timestamp" DATETIME2, "received_at" DATETIME2, "properties" NVARCHAR(4000), "traits" NVARCHAR(4000), "context" NVARCHAR(4000), "geo_country" NVARCHAR(4000), "geo_region" NVARCHAR(4000), "geo_city" NVARCHAR(4000), "geo_latitude" FLOAT, "geo_longitude" FLOAT, "utm_source" NVARCHAR(4000), "utm_medium" NVARCHAR(4000), "utm_campaign" NVARCHAR(4000), "utm_term" NVARCHAR(4000), "utm_content" NVARCHAR(4000), "channel" NVARCHAR(4000), "session_channel" NVARCHAR(4000), "referrer_host" NVARCHAR(4000), "page_url" NVARCHAR(4000), "page_path" NVARCHAR(4000), "ua_browser" NVARCHAR(4000), "ua_browser_version" NVARCHAR(4000), "ua_os" NVARCHAR(4000), "ua_os_version" NVARCHAR(4000), "ua_device_type" NVARCHAR(4000), "order_id" NVARCHAR(4000), "revenue" DECIMAL(20,4), "currency" NVARCHAR(4000), "schema_version" INT, "source_partition" NVARCHAR(4000), "source_offset" NVARCHAR(4000), "day" DATE);

IF OBJECT_ID('order_items') IS NULL CREATE TABLE "order_items" ("tenant_id" NVARCHAR(4000), "event_id" NVARCHAR(4000), "person_id" NVARCHAR(36), "timestamp" DATETIME2, "day" DATE, "order_id" NVARCHAR(4000), "product_id" NVARCHAR(4000), "name" NVARCHAR(4000), "category" NVARCHAR(4000), "price" DECIMAL(20,4), "quantity" INT, "currency" NVARCHAR(4000));

IF OBJECT_ID('sessions') IS NULL CREATE TABLE "sessions" ("session_id" NVARCHAR(36), "tenant_id" NVARCHAR(4000), "person_id" NVARCHAR(36), "started_at" DATETIME2, "ended_at" DATETIME2, "duration_seconds" FLOAT, "page_views" INT, "events" INT, "bounce" BIT, "landing_page" NVARCHAR(4000), "entry_channel" NVARCHAR(4000), "utm_source" NVARCHAR(4000), "utm_medium" NVARCHAR(4000), "utm_campaign" NVARCHAR(4000), "utm_term" NVARCHAR(4000), "utm_content" NVARCHAR(4000), "snapshot_at" DATETIME2);

IF OBJECT_ID('persons') IS NULL CREATE TABLE "persons" ("person_id" NVARCHAR(36), "tenant_id" NVARCHAR(4000), "user_id" NVARCHAR(4000), "traits" NVARCHAR(4000), "first_seen" DATETIME2, "last_seen" DATETIME2, "event_count" BIGINT, "session_count" INT, "last_channel" NVARCHAR(4000), "order_count" INT, "revenue" NVARCHAR(4000), "snapshot_at" DATETIME2);

IF OBJECT_ID('product_daily') IS NULL CREATE TABLE "product_daily" ("tenant_id" NVARCHAR(4000), "day" DATE, "product_id" NVARCHAR(4000), "views" BIGINT, "adds" BIGINT, "purchases" BIGINT, "units" BIGINT);

IF OBJECT_ID('product_revenue_daily') IS NULL CREATE TABLE "product_revenue_daily" ("tenant_id" NVARCHAR(4000), "day" DATE, "product_id" NVARCHAR(4000), "currency" NVARCHAR(4000), "revenue" DECIMAL(20,4));

IF OBJECT_ID('funnel_days') IS NULL CREATE TABLE "funnel_days" ("funnel_key" NVARCHAR(4000), "tenant_id" NVARCHAR(4000), "entered_on" DATETIME2, "person_id" NVARCHAR(36), "breakdown" NVARCHAR(4000), "reached" INT, "t1" DATETIME2, "t2" DATETIME2, "t3" DATETIME2, "t4" DATETIME2, "t5" DATETIME2, "t6" DATETIME2, "t7" DATETIME2, "t8" DATETIME2, "t9" DATETIME2, "t10" DATETIME2);

IF OBJECT_ID('funnel_builds') IS NULL CREATE TABLE "funnel_builds" ("funnel_key" NVARCHAR(4000), "tenant_id" NVARCHAR(4000), "refreshed_at" DATETIME2);

IF OBJECT_ID('lake_files') IS NULL CREATE TABLE "lake_files" ("key" NVARCHAR(4000), "loaded_at" DATETIME2);

IF OBJECT_ID('partition_loads') IS NULL CREATE TABLE "partition_loads" ("tenant_id" NVARCHAR(4000), "day" DATE, "loaded_at" DATETIME2, "events" BIGINT);

IF OBJECT_ID('livora_numbers') IS NULL CREATE TABLE "livora_numbers" ("i" INT);
