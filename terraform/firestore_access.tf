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


# What clients may do with Firestore directly (firestore.rules: members read their own tenant's jobs, nobody
# writes), the indexes the API's lists need, and Firebase Authentication for sign-in.

resource "google_firebaserules_ruleset" "firestore" {
  project = var.project_id

  source {
    files {
      name    = "firestore.rules"
      content = file(coalesce(var.firestore_rules_path, "${path.module}/../firestore.rules"))
    }
  }

  depends_on = [google_project_service.enabled, google_firestore_database.default]
}

# Releasing a ruleset under this name makes it the (default) database's rules.
resource "google_firebaserules_release" "firestore" {
  project      = var.project_id
  name         = "cloud.firestore"
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.firestore.name}"

  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore]
  }
}

# The job list (GET /v1/jobs, functions/api/routes/jobs.ts): a tenant's jobs, newest first, filtered by any mix of
# state, preset and cost (created-time filters ride on the order). One composite index per mix of those fields.
resource "google_firestore_index" "jobs_list" {
  for_each = { for fields in var.job_list_index_fields : join("+", concat(["tenant"], fields, ["createdAt"])) => fields }

  project     = var.project_id
  database    = local.firestore_database
  collection  = "jobs"
  query_scope = "COLLECTION"

  fields {
    field_path = "tenant"
    order      = "ASCENDING"
  }

  dynamic "fields" {
    for_each = each.value

    content {
      field_path = fields.value
      order      = "ASCENDING"
    }
  }

  fields {
    field_path = "createdAt"
    order      = "DESCENDING"
  }

  depends_on = [google_firestore_database.default]
}

# A tenant's audit entries newest first (GET /v1/audit), alone or by action or target, and its API keys.
resource "google_firestore_index" "tenant_lists" {
  for_each = {
    audit_log           = { collection = "audit_log", filter = null, order = "at" }
    audit_log_by_action = { collection = "audit_log", filter = "action", order = "at" }
    audit_log_by_target = { collection = "audit_log", filter = "target.id", order = "at" }
    api_keys            = { collection = "api_keys", filter = null, order = "createdAt" }
  }

  project     = var.project_id
  database    = local.firestore_database
  collection  = each.value.collection
  query_scope = "COLLECTION"

  fields {
    field_path = "tenant"
    order      = "ASCENDING"
  }

  dynamic "fields" {
    for_each = each.value.filter == null ? [] : [each.value.filter]

    content {
      field_path = fields.value
      order      = "ASCENDING"
    }
  }

  fields {
    field_path = each.value.order
    order      = "DESCENDING"
  }

  depends_on = [google_firestore_database.default]
}

# Sign-in: Firebase Authentication on the project, so members can get ID tokens the API verifies.
resource "google_firebase_project" "default" {
  provider = google-beta
  count    = var.enable_firebase ? 1 : 0

  project = var.project_id

  depends_on = [google_project_service.enabled]
}
