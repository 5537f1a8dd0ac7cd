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
# Scheduled services: Cloud Scheduler publishes one message per firing to the service's topic, whose push subscription
# (pubsub.tf) delivers it to the function. The body only names the service: the function reads the firing from the
# message's publish time (the latest scheduled time at or before it) and does each firing's work once, however often
# Pub/Sub delivers it (functions/services/service_function.ts).
# ---------------------------------------------------------------------------------------------------------------------

locals {
  scheduler_region        = coalesce(var.scheduler_region, var.region)
  scheduler_service_agent = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
}

resource "google_cloud_scheduler_job" "service" {
  for_each = local.scheduled_services

  project     = var.project_id
  region      = local.scheduler_region
  name        = "${var.name_prefix}-${each.key}"
  description = "Fires ${each.value.function_name} on ${each.value.schedule.cron} (${each.value.schedule.time_zone})."
  schedule    = each.value.schedule.cron
  time_zone   = each.value.schedule.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.service[each.key].id
    data       = base64encode(jsonencode({ service = each.key }))
    attributes = { service = each.key }
  }

  depends_on = [
    google_project_service.enabled,
    google_pubsub_topic_iam_member.scheduler_publisher,
  ]
}

# The Cloud Scheduler service agent publishes the firings.
resource "google_pubsub_topic_iam_member" "scheduler_publisher" {
  for_each = local.scheduled_services

  project = var.project_id
  topic   = google_pubsub_topic.service[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.scheduler_service_agent

  depends_on = [google_project_service.enabled]
}
