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

# ---------------------------------------------------------------------------------------------------------------------
# Topics: one per pipeline state and one per step, named as the code publishes to them (shared/stages.ts), plus the
# dead-letter topic.
# ---------------------------------------------------------------------------------------------------------------------

# Key = state for the stages, step kind for the steps (local.pipeline_functions in main.tf).
resource "google_pubsub_topic" "stage" {
  for_each = local.pipeline_functions

  project = var.project_id
  name    = each.value.topic

  depends_on = [google_project_service.enabled]

  # What the variable validations cannot check before Terraform 1.9: how the steps fit together with the stages.
  lifecycle {
    precondition {
      condition     = length(distinct([for key in keys(local.pushed_functions) : lower(replace(key, "_", "-"))])) == length(var.stages) + length(var.steps) + length(var.services) + 1
      error_message = "Stage, step and service keys must all differ (also ignoring case and _ versus -), and none may be DEAD_LETTER: each key names a push subscription."
    }

    precondition {
      condition     = alltrue([for step in values(var.steps) : contains(keys(var.stages), step.state)])
      error_message = "Every step's state must be a key of var.stages (${join(", ", [for kind, step in var.steps : "${kind}: ${step.state}" if !contains(keys(var.stages), step.state)])})."
    }

    precondition {
      condition     = length(distinct([for pushed in values(local.pushed_functions) : pushed.topic])) == length(local.pushed_functions)
      error_message = "Every stage, step, service and the dead-letter handler need their own topic."
    }

    precondition {
      condition     = length(distinct(values(local.pushed_function_names))) == length(local.pushed_function_names)
      error_message = "Every stage, step, service and the dead-letter handler need their own function (names are compared as Cloud Run service names)."
    }
  }
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = var.dead_letter.topic

  depends_on = [google_project_service.enabled]
}

# One per service (key = service name, SERVICE_TABLE in shared/stages.ts); Cloud Scheduler publishes the scheduled ones'
# firings here (scheduler.tf).
resource "google_pubsub_topic" "service" {
  for_each = var.services

  project = var.project_id
  name    = each.value.topic

  depends_on = [google_project_service.enabled]
}

# ---------------------------------------------------------------------------------------------------------------------
# Stage and step subscriptions: how each state's and step's messages reach its function.
#
# Why explicit push subscriptions and no `event_trigger` on the functions: an Eventarc Pub/Sub trigger creates its own
# push subscription, and neither its dead-letter policy nor its retry backoff can be set through
# google_cloudfunctions2_function (only RETRY_POLICY_RETRY / DO_NOT_RETRY). Declaring an extra subscription next to
# such a trigger would deliver every message twice. So the functions are deployed without a trigger and each stage
# and step gets exactly one subscription, declared here, whose retry and dead-letter policies are ours and explicit
# (DELIVERY_POLICY in shared/stages.ts): after max_delivery_attempts failed deliveries the message goes to the
# dead-letter topic, where failDeadLetteredJob fails the job with the reason the stage or step recorded.
#
# Pub/Sub pushes the raw push envelope {"message": {...}, "subscription": "..."} with an OIDC token of the pipeline
# service account (the functions do not allow unauthenticated calls). The Functions Framework recognises that
# envelope in a function registered with functions.cloudEvent() and turns it into the same
# google.cloud.pubsub.topic.v1.messagePublished CloudEvent an Eventarc trigger would deliver; the
# /projects/<project>/topics/<topic> path of the push endpoint is where it reads the event's topic from.
# A non-2xx answer (the function threw) is a failed delivery: Pub/Sub retries it with backoff.
# ---------------------------------------------------------------------------------------------------------------------

# The stage, step and service subscriptions and the dead-letter push subscription (key DEAD_LETTER) share one resource;
# the latter pushes each dead letter to failDeadLetteredJob. Each subscription retries and dead-letters as
# local.pushed_delivery (main.tf) says: the stages and steps with the delivery variables, each service with its own
# policy and dead-letter topic. The DEAD_LETTER subscription has no dead_letter_policy: there is nowhere further to
# forward a dead letter, so a message this function keeps failing on stays until message_retention_duration (and a
# copy stays in the archive subscription below).
resource "google_pubsub_subscription" "stage" {
  for_each = local.pushed_functions

  project = var.project_id
  name    = "${var.name_prefix}-${lower(replace(each.key, "_", "-"))}-push"
  topic   = local.pushed_topic_ids[each.key]

  # For push, the ack deadline is the request timeout; Pub/Sub allows at most 600 s (see the check in functions.tf).
  ack_deadline_seconds       = min(600, max(10, each.value.timeout_sec))
  message_retention_duration = var.message_retention_duration

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = local.pushed_delivery[each.key].minimum_backoff
    maximum_backoff = local.pushed_delivery[each.key].maximum_backoff
  }

  dynamic "dead_letter_policy" {
    for_each = local.pushed_delivery[each.key].dead_letter_topic == null ? [] : [local.pushed_delivery[each.key]]

    content {
      dead_letter_topic     = local.topic_ids_by_name[dead_letter_policy.value.dead_letter_topic]
      max_delivery_attempts = dead_letter_policy.value.max_delivery_attempts
    }
  }

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.stage[each.key].service_config[0].uri}/projects/${var.project_id}/topics/${each.value.topic}"

    oidc_token {
      service_account_email = local.service_account_email
      audience              = google_cloudfunctions2_function.stage[each.key].service_config[0].uri
    }
  }

  depends_on = [
    google_cloud_run_v2_service_iam_member.stage_invoker,
    google_pubsub_topic_iam_member.pubsub_agent_dead_letter_publisher,
    google_pubsub_topic_iam_member.pubsub_agent_service_dead_letter_publisher,
    google_service_account_iam_member.pubsub_agent_token_creator,
  ]

  lifecycle {
    precondition {
      condition     = local.pushed_delivery[each.key].dead_letter_topic == null || (contains(keys(local.topic_ids_by_name), coalesce(local.pushed_delivery[each.key].dead_letter_topic, "-")) && local.pushed_delivery[each.key].dead_letter_topic != each.value.topic)
      error_message = "${each.key} dead-letters to ${coalesce(local.pushed_delivery[each.key].dead_letter_topic, "-")}, which is its own topic or no topic of this configuration (the dead-letter topic or a service's topic)."
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Dead letters
# ---------------------------------------------------------------------------------------------------------------------

# A pull subscription nobody consumes, so every dead letter is retained for inspection (and replay with
# `gcloud pubsub subscriptions pull`) for dead_letter_retention_duration, whatever its handler did with it.
resource "google_pubsub_subscription" "dead_letter_archive" {
  project = var.project_id
  name    = "${var.name_prefix}-dead-letter-archive"
  topic   = google_pubsub_topic.dead_letter.id

  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention_duration
  retain_acked_messages      = true

  expiration_policy {
    ttl = ""
  }
}
