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

# What the generative providers need besides their secrets (secrets.tf): the Vertex AI and Secret Manager APIs,
# the pipeline account's right to call Vertex AI (Imagen, Veo, and Gemini when no API key is set), and the TTL policy
# that lets Firestore delete the brand memory's derived cache entries (brandKits/*/derived/*, field expireAt) once they
# expire, 7 days after they were made (shared/adapters/firestore/firestore_brand_kits.ts).

resource "google_project_service" "genai" {
  for_each = toset(var.genai_apis)

  project                    = var.project_id
  service                    = each.value
  disable_on_destroy         = false
  disable_dependent_services = false
}

resource "google_project_iam_member" "pipeline_genai" {
  for_each = toset(var.genai_service_account_roles)

  project = var.project_id
  role    = each.value
  member  = local.service_account_member
}

resource "google_firestore_field" "brand_cache_ttl" {
  project    = var.project_id
  database   = local.firestore_database
  collection = var.brand_cache_collection
  field      = "expireAt"

  ttl_config {}

  # A TTL timestamp needs no index, and indexing an ever-increasing timestamp would make a write hotspot.
  index_config {}

  depends_on = [google_firestore_database.default]
}
