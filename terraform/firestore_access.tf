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
# writes) and Firebase Authentication for sign-in. The indexes the API's lists need are in firestore.tf.

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

# Sign-in: Firebase Authentication on the project, so members can get ID tokens the API verifies.
resource "google_firebase_project" "default" {
  provider = google-beta
  count    = var.enable_firebase ? 1 : 0

  project = var.project_id

  depends_on = [google_project_service.enabled]
}
