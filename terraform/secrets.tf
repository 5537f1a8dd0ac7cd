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

# The generative providers' secrets (functions/generative_runtime.ts reads them through a SecretSource): the Gemini
# API key, and optionally a Vertex AI service-account key. Terraform creates the secrets but never holds their
# values: add a version out of band (`gcloud secrets versions add <secret_id> --data-file=-`). Cloud Functions mounts
# each one into every function as an environment variable (functions.tf, secret_environment_variables), which the
# code reads under the variable's name; a value is never logged.

locals {
  # Environment variable (the name the code reads) => secret; a secret left null is not mounted.
  genai_secrets = {
    for name, secret in {
      AIPROD_GENAI_API_KEY             = var.genai_api_key_secret
      AIPROD_GENAI_SERVICE_ACCOUNT_KEY = var.genai_service_account_key_secret
    } : name => secret if secret != null
  }
}

resource "google_secret_manager_secret" "genai" {
  for_each = { for name, secret in local.genai_secrets : name => secret if secret.create }

  project   = var.project_id
  secret_id = each.value.secret_id

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

# The pipeline account reads the secrets, at deployment (the mount) and in the functions.
resource "google_secret_manager_secret_iam_member" "genai_accessor" {
  for_each = local.genai_secrets

  project    = var.project_id
  secret_id  = each.value.secret_id
  role       = "roles/secretmanager.secretAccessor"
  member     = local.service_account_member
  depends_on = [google_secret_manager_secret.genai]
}
