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

provider "google" {
  project        = var.project_id
  region         = var.region
  default_labels = local.labels
}

provider "google-beta" {
  project        = var.project_id
  region         = var.region
  default_labels = local.labels
}

locals {
  labels = merge({ "managed-by" = "terraform" }, var.labels)

  bucket_location       = coalesce(var.bucket_location, var.region)
  firestore_location_id = coalesce(var.firestore_location_id, var.region)

  # The code reaches Firestore through `new Firestore()`, i.e. the project's (default) database.
  firestore_database = "(default)"

  service_account_id     = coalesce(var.service_account_id, "${var.name_prefix}-pipeline")
  service_account_email  = google_service_account.pipeline.email
  service_account_member = "serviceAccount:${google_service_account.pipeline.email}"

  # 2nd gen function names become Cloud Run service names, so they are lowercase: sanitizeInput -> aiprod-sanitize-input.
  # The camelCase name stays the entry point the Functions Framework looks up.
  pushed_function_names = {
    for key, pushed in local.pushed_functions : key => "${var.name_prefix}-${lower(replace(pushed.function_name, "/([A-Z])/", "-$1"))}"
  }
  api_function_name = "${var.name_prefix}-${lower(replace(var.api_function.entry_point, "/([A-Z])/", "-$1"))}"

  # Every topic the code publishes a job's message to: one per stage (key = state) and one per step (key = step kind,
  # STEP_TABLE in shared/stages.ts). The topic resource iterates this map, so the stages keep their addresses.
  pipeline_functions = merge(var.stages, var.steps)

  # Every function Pub/Sub pushes to: one per stage and step, the dead-letter handler under the key DEAD_LETTER (which
  # no stage, step or service may use, see variables.tf), and one per service (SERVICE_TABLE). The function, its push
  # subscription and its invoker grant iterate this map.
  pushed_functions = merge(local.pipeline_functions, { DEAD_LETTER = var.dead_letter }, var.services)
  pushed_topic_ids = merge(
    { for key, topic in google_pubsub_topic.stage : key => topic.id },
    { DEAD_LETTER = google_pubsub_topic.dead_letter.id },
    { for key, topic in google_pubsub_topic.service : key => topic.id },
  )

  # Every topic by name, so a subscription can name its dead-letter topic the way the tables do.
  topic_ids_by_name = { for key, id in local.pushed_topic_ids : local.pushed_functions[key].topic => id }

  # How each push subscription retries a failed delivery and where it forwards a message it gives up on: the stages
  # and steps share the delivery variables (DELIVERY_POLICY) and the dead-letter topic; the dead-letter subscription
  # retries the same way but forwards nowhere (there is nowhere further to go); each service has its own.
  pushed_delivery = merge(
    {
      for key in keys(local.pipeline_functions) : key => {
        max_delivery_attempts = var.max_delivery_attempts
        minimum_backoff       = var.minimum_backoff
        maximum_backoff       = var.maximum_backoff
        dead_letter_topic     = var.dead_letter.topic
      }
    },
    {
      DEAD_LETTER = {
        max_delivery_attempts = var.max_delivery_attempts
        minimum_backoff       = var.minimum_backoff
        maximum_backoff       = var.maximum_backoff
        dead_letter_topic     = null
      }
    },
    {
      for key, service in var.services : key => {
        max_delivery_attempts = service.delivery.max_delivery_attempts
        minimum_backoff       = "${service.delivery.minimum_backoff_sec}s"
        maximum_backoff       = "${service.delivery.maximum_backoff_sec}s"
        dead_letter_topic     = service.dead_letter_topic
      }
    },
  )

  # The subscriptions that forward to a dead-letter topic, and the topics they forward to.
  dead_lettered      = { for key, delivery in local.pushed_delivery : key => delivery if delivery.dead_letter_topic != null }
  dead_letter_topics = toset([for delivery in values(local.dead_lettered) : delivery.dead_letter_topic])

  # The services Cloud Scheduler fires (scheduler.tf).
  scheduled_services = { for key, service in var.services : key => service if service.schedule != null }

  # What every function reads at start-up (shared/config.ts, AIPROD_MODE=gcp).
  function_environment = merge(
    {
      AIPROD_MODE          = "gcp"
      GOOGLE_CLOUD_PROJECT = var.project_id
      AIPROD_MEDIA_BUCKET  = google_storage_bucket.media.name
      # The DR check (functions/services/check_disaster_recovery.ts): where it exports to and restores into.
      AIPROD_BACKUP_BUCKET       = google_storage_bucket.backups.name
      AIPROD_DR_SCRATCH_DATABASE = google_firestore_database.dr_scratch.name
      # The API (shared/config.ts): CORS allow-list and rate limits.
      AIPROD_CORS_ORIGINS             = join(",", var.api_cors_origins)
      AIPROD_RATE_LIMIT_PER_PRINCIPAL = tostring(var.api_rate_limits.per_principal)
      AIPROD_RATE_LIMIT_PER_IP        = tostring(var.api_rate_limits.per_ip)
    },
    var.function_environment_variables,
  )

  # The Pub/Sub service agent: forwards dead letters and mints the push subscriptions' OIDC tokens.
  pubsub_service_agent = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

# The project number names the Google-managed service agents (Cloud Scheduler, Firestore).
data "google_project" "current" {
  project_id = var.project_id
}

# ---------------------------------------------------------------------------------------------------------------------
# Service accounts
# ---------------------------------------------------------------------------------------------------------------------

# The identity every function runs as, and the identity Pub/Sub pushes to the functions as (OIDC token).
resource "google_service_account" "pipeline" {
  project      = var.project_id
  account_id   = local.service_account_id
  display_name = "AIPROD pipeline functions"
  description  = "Runs the AIPROD Cloud Functions and authenticates Pub/Sub pushes to them."

  depends_on = [google_project_service.enabled]
}

resource "google_project_iam_member" "pipeline" {
  for_each = toset(concat(var.service_account_project_roles, var.genai_service_account_roles))

  project = var.project_id
  role    = each.value
  member  = local.service_account_member
}

# Publishing the next message: the stage and step functions publish to any stage or step topic (RENDERING fans out to
# its steps, a step queues the next one or moves the job on), the dead-letter function to ERROR.
resource "google_pubsub_topic_iam_member" "pipeline_publisher" {
  for_each = local.pipeline_functions

  project = var.project_id
  topic   = google_pubsub_topic.stage[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.service_account_member
}

# Services publish to each other's topics too (one service may hand work on to another).
resource "google_pubsub_topic_iam_member" "service_publisher" {
  for_each = var.services

  project = var.project_id
  topic   = google_pubsub_topic.service[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.service_account_member
}

resource "google_storage_bucket_iam_member" "pipeline_media" {
  bucket = google_storage_bucket.media.name
  role   = "roles/storage.objectAdmin"
  member = local.service_account_member
}

# Pub/Sub pushes with an OIDC token of the pipeline account, so that account may invoke each pushed-to function.
# (The functions have no Eventarc trigger, so roles/eventarc.eventReceiver is not needed.)
resource "google_cloud_run_v2_service_iam_member" "stage_invoker" {
  for_each = local.pushed_functions

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.stage[each.key].name
  role     = "roles/run.invoker"
  member   = local.service_account_member
}

resource "google_cloud_run_v2_service_iam_member" "api_invoker" {
  for_each = toset(var.api_invokers)

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.api.name
  role     = "roles/run.invoker"
  member   = each.value
}

# Builds the functions' containers (2nd gen functions build with Cloud Build).
resource "google_service_account" "build" {
  count = var.create_build_service_account ? 1 : 0

  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = "AIPROD function builds"
  description  = "Builds the AIPROD Cloud Functions from the source archive."

  depends_on = [google_project_service.enabled]
}

resource "google_project_iam_member" "build" {
  for_each = var.create_build_service_account ? toset(var.build_service_account_roles) : toset([])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.build[0].email}"
}

resource "google_storage_bucket_iam_member" "build_source" {
  count = var.create_build_service_account ? 1 : 0

  bucket = local.source_bucket
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.build[0].email}"
}

# ---------------------------------------------------------------------------------------------------------------------
# Pub/Sub service agent
# ---------------------------------------------------------------------------------------------------------------------

resource "google_project_service_identity" "pubsub" {
  provider = google-beta

  project = var.project_id
  service = "pubsub.googleapis.com"

  depends_on = [google_project_service.enabled]
}

# Dead-lettering: the agent publishes the message to the dead-letter topic ...
resource "google_pubsub_topic_iam_member" "pubsub_agent_dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

# ... or to the dead-letter topic a service names as its own ...
resource "google_pubsub_topic_iam_member" "pubsub_agent_service_dead_letter_publisher" {
  for_each = setsubtract(local.dead_letter_topics, [var.dead_letter.topic])

  project = var.project_id
  topic   = local.topic_ids_by_name[each.value]
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

# ... and acknowledges it on the subscription it came from.
resource "google_pubsub_subscription_iam_member" "pubsub_agent_subscriber" {
  for_each = local.dead_lettered

  project      = var.project_id
  subscription = google_pubsub_subscription.stage[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# Authenticated push: the agent mints OIDC tokens for the pipeline account.
resource "google_service_account_iam_member" "pubsub_agent_token_creator" {
  count = var.grant_pubsub_token_creator ? 1 : 0

  service_account_id = google_service_account.pipeline.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}
