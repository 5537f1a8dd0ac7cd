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

# Every function is built from the same source archive (the built repository) and differs only in its entry point,
# which functions/index.ts registers with the Functions Framework.
#
# None of them has an `event_trigger`: the stage, step, service and dead-letter functions are fed by the push subscriptions in
# pubsub.tf, which carry the explicit retry and dead-letter policy (see the comment there). Without a trigger a 2nd gen
# function is invoked over HTTP, so its timeout may exceed the 540 s limit of event-triggered functions.

locals {
  build_service_account = one(google_service_account.build[*].id)
}

# One function per stage, step and service, plus the dead-letter handler (key DEAD_LETTER, see local.pushed_functions in
# main.tf).
resource "google_cloudfunctions2_function" "stage" {
  for_each = local.pushed_functions

  project     = var.project_id
  location    = var.region
  name        = local.pushed_function_names[each.key]
  description = "AIPROD ${each.key == "DEAD_LETTER" ? "dead letters" : (contains(keys(var.steps), each.key) ? "${var.steps[each.key].state} ${each.key} step" : (contains(keys(var.services), each.key) ? "${each.key} service" : each.key))}: runs ${each.value.function_name} for every message on ${each.value.topic}."

  build_config {
    runtime               = var.runtime
    entry_point           = each.value.function_name
    environment_variables = var.build_environment_variables
    service_account       = local.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket_object.source.bucket
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = "${each.value.memory_mib}Mi"
    timeout_seconds                  = each.value.timeout_sec
    max_instance_count               = var.function_max_instance_count
    min_instance_count               = var.function_min_instance_count
    max_instance_request_concurrency = 1
    ingress_settings                 = var.stage_ingress_settings
    all_traffic_on_latest_revision   = true
    service_account_email            = local.service_account_email
    environment_variables            = local.function_environment

    # The generative providers' secrets, as environment variables (secrets.tf).
    dynamic "secret_environment_variables" {
      for_each = local.genai_secrets

      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret_id
        version    = secret_environment_variables.value.version
      }
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_project_iam_member.pipeline,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_source,
    google_firestore_database.default,
    google_secret_manager_secret_iam_member.genai_accessor,
  ]
}

# The dead-letter handler, its push subscription (pubsub.tf) and its invoker grant (main.tf) used to be resources of
# their own; they are now the DEAD_LETTER instances of the stage resources.
moved {
  from = google_cloudfunctions2_function.dead_letter
  to   = google_cloudfunctions2_function.stage["DEAD_LETTER"]
}

moved {
  from = google_pubsub_subscription.dead_letter
  to   = google_pubsub_subscription.stage["DEAD_LETTER"]
}

moved {
  from = google_cloud_run_v2_service_iam_member.dead_letter_invoker
  to   = google_cloud_run_v2_service_iam_member.stage_invoker["DEAD_LETTER"]
}

# The HTTP API (functions/api): submits jobs, reports on them, takes approvals.
resource "google_cloudfunctions2_function" "api" {
  project     = var.project_id
  location    = var.region
  name        = local.api_function_name
  description = "AIPROD HTTP API."

  build_config {
    runtime               = var.runtime
    entry_point           = var.api_function.entry_point
    environment_variables = var.build_environment_variables
    service_account       = local.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket_object.source.bucket
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = "${var.api_function.memory_mib}Mi"
    timeout_seconds                  = var.api_function.timeout_sec
    max_instance_count               = var.api_function.max_instance_count
    min_instance_count               = var.api_function.min_instance_count
    max_instance_request_concurrency = 1
    ingress_settings                 = var.api_function.ingress_settings
    all_traffic_on_latest_revision   = true
    service_account_email            = local.service_account_email
    environment_variables            = local.function_environment

    # The generative providers' secrets, as environment variables (secrets.tf).
    dynamic "secret_environment_variables" {
      for_each = local.genai_secrets

      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret_id
        version    = secret_environment_variables.value.version
      }
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_project_iam_member.pipeline,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_source,
    google_firestore_database.default,
    google_secret_manager_secret_iam_member.genai_accessor,
  ]
}

# A push request may last at most 600 s (the longest ack deadline). A function that runs longer is redelivered
# while it still works; the redelivery finds the lease taken, fails, and uses up delivery attempts, so the message can
# be dead-lettered while the first run is still going. Warns on plan instead of failing, so the tables stay the source.
check "stage_timeouts_fit_push_deadline" {
  assert {
    condition     = alltrue([for pushed in values(local.pushed_functions) : pushed.timeout_sec <= 600])
    error_message = "Stages, steps or services with timeout_sec above 600 (${join(", ", [for key, pushed in local.pushed_functions : key if pushed.timeout_sec > 600])}) outlive the 600 s push deadline of their subscription: long runs get redelivered and may be dead-lettered while still running."
  }
}
