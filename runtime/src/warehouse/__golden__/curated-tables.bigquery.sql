CREATE TABLE IF NOT EXISTS `events` (`event_id` STRING, `tenant_id` STRING, `type` STRING, `event` STRING, `name` STRING, `category` STRING, `person_id` STRING, `session_id` STRING, `user_id` STRING, `anonymous_id` STRING, `group_id` STRING, `previous_id` STRING, `timestamp` TIMESTAMP, `original_timestamp` TIMESTAMP, `received_at` TIMESTAMP, `properties` STRING, `traits` STRING, `context` STRING, `geo_country` STRING, `geo_region` STRING, `geo_city` STRING, `geo_latitude` FLOAT64, `geo_longitude` FLOAT64, `utm_source` STRING, `utm_medium` STRING, `utm_campaign` STRING, `utm_term` STRING, `utm_content` STRING, `channel` STRING, `session_channel` STRING, `referrer_host` STRING, `page_url` STRING, `page_path` STRING, `ua_browser` STRING, `ua_browser_version` STRING, `ua_os` STRING, `ua_os_version` STRING, `ua_device_type` STRING, `order_id` STRING, `revenue` NUMERIC, `currency` STRING, `schema_version` INT64, `source_partition` STRING, `source_offset` STRING, `day` DATE);

CREATE TABLE IF NOT EXISTS `order_items` (`tenant_id` STRING, `event_id` STRING, `person_id` STRING, `timestamp` TIMESTAMP, `day` DATE, `order_id` STRING, `product_id` STRING, `name` STRING, `category` STRING, `price` NUMERIC, `quantity` INT64, `currency` STRING);

CREATE TABLE IF NOT EXISTS `sessions` (`session_id` STRING, `tenant_id` STRING, `person_id` STRING, `started_at` TIMESTAMP, `ended_at` TIMESTAMP, `duration_seconds` FLOAT64, `page_views` INT64, `events` INT64, `bounce` BOOL, `landing_page` STRING, `entry_channel` STRING, `utm_source` STRING, `utm_medium` STRING, `utm_campaign` STRING, `utm_term` STRING, `utm_content` STRING, `snapshot_at` TIMESTAMP);

CREATE TABLE IF NOT EXISTS `persons` (`person_id` STRING, `tenant_id` STRING, `user_id` STRING, `traits` STRING, `first_seen` TIMESTAMP, `last_seen` TIMESTAMP, `event_count` INT64, `session_count` INT64, `last_channel` STRING, `order_count` INT64, `revenue` STRING, `snapshot_at` TIMESTAMP);

CREATE TABLE IF NOT EXISTS `product_daily` (`tenant_id` STRING, `day` DATE, `product_id` STRING, `views` INT64, `adds` INT64, `purchases` INT64, `units` INT64);

CREATE TABLE IF NOT EXISTS `product_revenue_daily` (`tenant_id` STRING, `day` DATE, `product_id` STRING, `currency` STRING, `revenue` NUMERIC);

CREATE TABLE IF NOT EXISTS `funnel_days` (`funnel_key` STRING, `tenant_id` STRING, `entered_on` TIMESTAMP, `person_id` STRING, `breakdown` STRING, `reached` INT64, `t1` TIMESTAMP, `t2` TIMESTAMP, `t3` TIMESTAMP, `t4` TIMESTAMP, `t5` TIMESTAMP, `t6` TIMESTAMP, `t7` TIMESTAMP, `t8` TIMESTAMP, `t9` TIMESTAMP, `t10` TIMESTAMP);

CREATE TABLE IF NOT EXISTS `funnel_builds` (`funnel_key` STRING, `tenant_id` STRING, `refreshed_at` TIMESTAMP);

CREATE TABLE IF NOT EXISTS `lake_files` (`key` STRING, `loaded_at` TIMESTAMP);

CREATE TABLE IF NOT EXISTS `partition_loads` (`tenant_id` STRING, `day` DATE, `loaded_at` TIMESTAMP, `events` INT64);

CREATE TABLE IF NOT EXISTS `livora_numbers` (`i` INT64);
