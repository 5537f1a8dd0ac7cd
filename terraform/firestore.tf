# Copyright 2025 AIPROD authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

# The job store (shared/adapters/firestore): the project's (default) database in native mode, which is what
# `new Firestore()` in the functions connects to. A project has a single (default) database; when it already exists
# (created by hand or by another deployment) set create_firestore_database = false and this configuration uses it.

resource "google_firestore_database" "default" {
  count = var.create_firestore_database ? 1 : 0

  project                     = var.project_id
  name                        = local.firestore_database
  location_id                 = local.firestore_location_id
  type                        = "FIRESTORE_NATIVE"
  app_engine_integration_mode = "DISABLED"
  delete_protection_state     = var.firestore_delete_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy             = var.firestore_deletion_policy

  depends_on = [google_project_service.enabled]
}

# Where the DR check (functions/services/check_disaster_recovery.ts) restores each backup: a database of its own, so a
# restore never touches the live data. Emptied before and after every check.
resource "google_firestore_database" "dr_scratch" {
  project                     = var.project_id
  name                        = var.dr_scratch_database
  location_id                 = local.firestore_location_id
  type                        = "FIRESTORE_NATIVE"
  app_engine_integration_mode = "DISABLED"
  delete_protection_state     = "DELETE_PROTECTION_DISABLED"
  deletion_policy             = "DELETE"

  depends_on = [google_project_service.enabled]
}

# Records that expire on their expireAt: scheduled firings (shared/adapters/firestore/firestore_firing_ledger.ts),
# rate-limit counters (shared/adapters/firestore/firestore_rate_limiter.ts), one window after their own, the brand
# memory's derived cache (7 days) and the webhook delivery log (shared/adapters/firestore/firestore_webhook_delivery_log.ts, 30 days).
resource "google_firestore_field" "ttl" {
  for_each = toset(["firings", "rate_limits", "webhook_deliveries", var.brand_cache_collection])

  project    = var.project_id
  database   = local.firestore_database
  collection = each.value
  field      = "expireAt"

  ttl_config {}

  # A TTL timestamp needs no index, and indexing an ever-increasing timestamp would make a write hotspot.
  index_config {}

  depends_on = [google_firestore_database.default]
}

# Queries that order by one field after equality filters on others need a composite index: the job, audit, key and
# webhook lists and the delivery log's (shared/adapters/firestore). Key = index name, fields in order.
locals {
  # The job list (GET /v1/jobs, functions/api/routes/jobs.ts): a tenant's jobs newest first, filtered by any mix of
  # state, preset and cost (created-time filters ride on the order), one index per mix.
  job_list_indexes = {
    for fields in var.job_list_index_fields : join("_", concat(["jobs_by_tenant"], [for field in fields : replace(field, ".", "_")])) => {
      collection = "jobs"
      fields     = concat([["tenant", "ASCENDING"]], [for field in fields : [field, "ASCENDING"]], [["createdAt", "DESCENDING"]])
    }
  }

  firestore_indexes = merge(local.job_list_indexes, {
    # A tenant's audit entries newest first (GET /v1/audit), alone or by action or target, and its API keys.
    audit_log_by_tenant = {
      collection = "audit_log"
      fields     = [["tenant", "ASCENDING"], ["at", "DESCENDING"]]
    }
    audit_log_by_action = {
      collection = "audit_log"
      fields     = [["tenant", "ASCENDING"], ["action", "ASCENDING"], ["at", "DESCENDING"]]
    }
    audit_log_by_target = {
      collection = "audit_log"
      fields     = [["tenant", "ASCENDING"], ["target.id", "ASCENDING"], ["at", "DESCENDING"]]
    }
    api_keys_by_tenant = {
      collection = "api_keys"
      fields     = [["tenant", "ASCENDING"], ["createdAt", "DESCENDING"]]
    }
    webhooks_by_tenant = {
      collection = "webhooks"
      fields     = [["tenant", "ASCENDING"], ["createdAt", "DESCENDING"]]
    }
    webhook_deliveries_by_webhook = {
      collection = "webhook_deliveries"
      fields     = [["tenant", "ASCENDING"], ["webhookId", "ASCENDING"], ["createdAt", "DESCENDING"]]
    }
  })
}

resource "google_firestore_index" "query" {
  for_each = local.firestore_indexes

  project    = var.project_id
  database   = local.firestore_database
  collection = each.value.collection

  dynamic "fields" {
    for_each = each.value.fields

    content {
      field_path = fields.value[0]
      order      = fields.value[1]
    }
  }

  depends_on = [google_firestore_database.default]
}
