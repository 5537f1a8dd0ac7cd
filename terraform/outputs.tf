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

output "api_uri" {
  description = "Base URI of the HTTP API function (e.g. <api_uri>/v1/health)."
  value       = google_cloudfunctions2_function.api.service_config[0].uri
}

output "stage_topics" {
  description = "Pub/Sub topic of each pipeline state."
  value       = { for state in keys(var.stages) : state => google_pubsub_topic.stage[state].name }
}

output "stage_subscriptions" {
  description = "Push subscription (with retry and dead-letter policy) feeding each state's function."
  value       = { for state in keys(var.stages) : state => google_pubsub_subscription.stage[state].name }
}

output "stage_functions" {
  description = "Cloud Function of each pipeline state."
  value       = { for state in keys(var.stages) : state => google_cloudfunctions2_function.stage[state].name }
}

output "step_topics" {
  description = "Pub/Sub topic of each step a state fans out into."
  value       = { for kind in keys(var.steps) : kind => google_pubsub_topic.stage[kind].name }
}

output "step_subscriptions" {
  description = "Push subscription (with retry and dead-letter policy) feeding each step's function."
  value       = { for kind in keys(var.steps) : kind => google_pubsub_subscription.stage[kind].name }
}

output "step_functions" {
  description = "Cloud Function of each step a state fans out into."
  value       = { for kind in keys(var.steps) : kind => google_cloudfunctions2_function.stage[kind].name }
}

output "dead_letter_topic" {
  description = "Topic every stage and step subscription forwards undeliverable messages to."
  value       = google_pubsub_topic.dead_letter.name
}

output "dead_letter_archive_subscription" {
  description = "Pull subscription that retains every dead letter for inspection."
  value       = google_pubsub_subscription.dead_letter_archive.name
}

output "media_bucket" {
  description = "Bucket of storyboards, renders and deliveries (AIPROD_MEDIA_BUCKET)."
  value       = google_storage_bucket.media.name
}

output "source_archive" {
  description = "The source archive the functions were built from."
  value       = "gs://${google_storage_bucket_object.source.bucket}/${google_storage_bucket_object.source.name}"
}

output "service_account_email" {
  description = "Service account the functions run as and Pub/Sub pushes as."
  value       = google_service_account.pipeline.email
}

output "service_topics" {
  description = "Pub/Sub topic of each service (SERVICE_TABLE)."
  value       = { for key in keys(var.services) : key => google_pubsub_topic.service[key].name }
}

output "service_subscriptions" {
  description = "Push subscription (with the service's own retry and dead-letter policy) feeding each service's function."
  value       = { for key in keys(var.services) : key => google_pubsub_subscription.stage[key].name }
}

output "service_functions" {
  description = "Cloud Function of each service."
  value       = { for key in keys(var.services) : key => google_cloudfunctions2_function.stage[key].name }
}

output "scheduler_jobs" {
  description = "Cloud Scheduler job firing each scheduled service."
  value       = { for key in keys(local.scheduled_services) : key => google_cloud_scheduler_job.service[key].name }
}

output "backups_bucket" {
  description = "Bucket the DR check exports Firestore into (AIPROD_BACKUP_BUCKET)."
  value       = google_storage_bucket.backups.name
}

output "dr_scratch_database" {
  description = "Firestore database the DR check restores into (AIPROD_DR_SCRATCH_DATABASE)."
  value       = google_firestore_database.dr_scratch.name
}

output "billing_budget" {
  description = "The project's Cloud Billing budget (billingAccounts/<account>/budgets/<id>), or null without var.billing_account."
  value       = try(google_billing_budget.project["project"].name, null)
}
